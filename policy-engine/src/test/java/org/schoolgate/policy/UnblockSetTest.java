package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.schoolgate.policy.TestPolicies.london;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compiling unblocks, and finding the one that applies to a request by host, category, scope and time. */
class UnblockSetTest {
  private static final UnblockSet HOSTS = UnblockSet.compile(List.of(
      TestUnblocks.forGroup(1, new UnblockTarget.Domain("example.test"), "pupils", "09:00", "17:00"),
      TestUnblocks.forGroup(2, new UnblockTarget.Domain("10.1.2.3"), "pupils", "09:00", "17:00"),
      TestUnblocks.forGroup(3, new UnblockTarget.Domain("bücher.test"), "pupils", "09:00", "17:00"),
      TestUnblocks.forGroup(4, new UnblockTarget.Domain("[fd00::1]"), "pupils", "09:00", "17:00"),
      TestUnblocks.forGroup(5, new UnblockTarget.UrlPrefix("maths.test", "/odds/"), "pupils", "09:00", "17:00"),
      TestUnblocks.forGroup(6, new UnblockTarget.Domain("deep.a.b.test"), "pupils", "09:00", "17:00")));

  private static RequestFacts request(String host, String path, String group, String user, String client,
      String time) throws Exception {
    return new RequestFacts(new GroupId(group), user, host, path, london(TestUnblocks.DAY + time),
        client == null ? null : InetAddress.getByName(client));
  }

  @ParameterizedTest(name = "{0}{1} → unblock {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # host                 | path       | unblock
      example.test           | /          | 1
      www.example.test       | /          | 1
      a.b.www.example.test   | /x         | 1
      WWW.Example.TEST.      | /          | 1
      www.example.test:8080  | /          | 1
      badexample.test        | /          | -
      example.test.evil      | /          | -
      test                   | /          | -
      10.1.2.3               | /          | 2
      10.1.2.3:443           | /          | 2
      0.10.1.2.3             | /          | -
      bücher.test            | /          | 3
      www.xn--bcher-kva.test | /          | 3
      [fd00::1]:443          | /          | 4
      fd00:0::1              | /          | 4
      maths.test             | /odds/1    | 5
      www.maths.test         | /odds/?q=1 | 5
      maths.test             | /odd       | -
      maths.test             |            | -
      a.b.test               | /          | -
      x.deep.a.b.test        | /          | 6
      """)
  void domainAndUrlUnblocksMatchTheHostAndItsSubdomainsOnLabelBoundaries(String host, String path, Long expected)
      throws Exception {
    Unblock u = HOSTS.forHost(request(host, path, "pupils", null, null, "10:00"));

    assertThat(u == null ? null : u.id().value()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "group {0}, user {1}, client {2} at {3} → in scope: {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # group | user     | client       | time  | applies
      ks2     | -        | -            | 10:00 | true
      staff   | -        | -            | 10:00 | false
      staff   | Mrs.Jones| -            | 10:00 | true
      staff   | jones    | -            | 10:00 | false
      staff   | -        | 10.1.4.77    | 10:00 | true
      staff   | -        | 10.1.5.77    | 10:00 | false
      staff   | -        | fd00:1::9    | 10:00 | true
      staff   | -        | fd00:2::9    | 10:00 | false
      ks2     | -        | -            | 08:59 | false
      ks2     | -        | -            | 09:00 | true
      ks2     | -        | -            | 11:59 | true
      ks2     | -        | -            | 12:00 | false
      """)
  void unblockAppliesToItsGroupsUsersAndSubnetsFromItsStartUntilJustBeforeItsEnd(String group, String user,
      String client, String time, boolean applies) throws Exception {
    UnblockSet set = UnblockSet.compile(List.of(TestUnblocks.unblock(9, new UnblockTarget.Everything(),
        new UnblockScope(Set.of(new GroupId("ks2")), Set.of("mrs.jones"), List.of("10.1.4.0/24", "fd00:1::/64")),
        "09:00", "12:00")));
    RequestFacts facts = request("example.test", "/", group, user, client, time);

    assertThat(set.bypassFor(facts) != null).isEqualTo(applies);
  }

  @Test
  void theUnblockInForceLongestWinsThenTheNewest() throws Exception {
    UnblockSet set = UnblockSet.compile(List.of(
        TestUnblocks.forGroup(1, TestUnblocks.category("games"), "ks2", "09:00", "12:00"),
        TestUnblocks.forGroup(2, TestUnblocks.category("games"), "ks2", "09:00", "15:00"),
        TestUnblocks.forGroup(3, TestUnblocks.category("games"), "ks2", "10:00", "15:00"),
        TestUnblocks.forGroup(4, TestUnblocks.category("games"), "staff", "09:00", "17:00")));
    CategoryId games = new CategoryId("games");

    assertThat(set.forCategory(games, request("x.test", "/", "ks2", null, null, "09:30")).id().value()).isEqualTo(2);
    assertThat(set.forCategory(games, request("x.test", "/", "ks2", null, null, "10:30")).id().value()).isEqualTo(3);
    assertThat(set.forCategory(games, request("x.test", "/", "ks2", null, null, "15:00"))).isNull();
    assertThat(set.forCategory(new CategoryId("gambling"), request("x.test", "/", "ks2", null, null, "10:30"))).isNull();
  }

  @Test
  void compileKeepsTheUnblocksInIdOrder() {
    Unblock b = TestUnblocks.forGroup(8, TestUnblocks.category("games"), "ks2", "09:00", "12:00");
    Unblock a = TestUnblocks.forGroup(3, new UnblockTarget.Everything(), "ks2", "09:00", "12:00");

    UnblockSet set = UnblockSet.compile(List.of(b, a));

    assertThat(set.size()).isEqualTo(2);
    assertThat(set.unblocks()).containsExactly(a, b);
    assertThat(UnblockSet.compile(List.of())).isSameAs(UnblockSet.EMPTY);
    assertThat(UnblockSet.EMPTY.size()).isZero();
    assertThat(UnblockSet.EMPTY.unblocks()).isEmpty();
  }

  @Test
  void badSubnetIsRejectedNamingTheUnblockAndTheFix() {
    Throwable e = catchThrowable(() -> UnblockSet.compile(List.of(TestUnblocks.forSubnet(5,
        new UnblockTarget.Everything(), "10.1.4.0/33", "09:00", "12:00"))));

    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage(
        "unblock 5: scope subnet '10.1.4.0/33': prefix 33 is out of range (expected: 0-32 for IPv4)");
    assertThat(catchThrowable(() -> UnblockSet.compile(List.of(TestUnblocks.forSubnet(6,
        new UnblockTarget.Everything(), "room-4", "09:00", "12:00")))))
        .hasMessage("unblock 6: scope subnet 'room-4' is not an IPv4 or IPv6 network"
            + " (expected: e.g. 10.10.0.0/16 or fd00::/8)");
  }

  @Test
  void badTargetsAndRepeatedIdsAreRejected() {
    assertThat(catchThrowable(() -> UnblockSet.compile(List.of(TestUnblocks.forGroup(1,
        new UnblockTarget.Domain("exa mple.test"), "ks2", "09:00", "12:00")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unblock 1: 'exa mple.test' is not a host name (expected: e.g. example.com)");
    assertThat(catchThrowable(() -> UnblockSet.compile(List.of(TestUnblocks.forGroup(2,
        new UnblockTarget.UrlPrefix("example.test", "odds/"), "ks2", "09:00", "12:00")))))
        .hasMessage("unblock 2: URL path 'odds/' does not start with '/' (expected: e.g. /games/)");
    Unblock one = TestUnblocks.forGroup(3, new UnblockTarget.Everything(), "ks2", "09:00", "12:00");
    assertThat(catchThrowable(() -> UnblockSet.compile(List.of(one, one))))
        .hasMessage("unblock 3 appears twice (expected: each unblock once)");
  }
}
