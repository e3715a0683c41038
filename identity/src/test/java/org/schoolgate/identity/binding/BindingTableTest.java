package org.schoolgate.identity.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Change;
import org.schoolgate.policy.testing.MutableClock;

class BindingTableTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final IdentityMetrics metrics = IdentityMetrics.unregistered();
  private final BindingTable table = BindingTable.inMemory(clock, metrics);

  @Test
  void aBindingIsFoundUntilItEndsByItselfWithoutASweep() throws Exception {
    InetAddress a = ip("10.0.0.5");
    table.bind(a, session("alice", Duration.ofMinutes(30)), "session:logon");

    assertThat(table.find(a, clock.instant()).user()).isEqualTo("alice");
    assertThat(table.find(ip("10.0.0.6"), clock.instant())).isNull();
    clock.advance(Duration.ofMinutes(30).minusNanos(1));
    assertThat(table.find(a, clock.instant())).isNotNull();
    clock.advance(Duration.ofNanos(1));
    assertThat(table.find(a, clock.instant())).as("never an ended binding, even before the sweep").isNull();

    assertThat(table.sweep(clock.instant())).isEqualTo(1);
    assertThat(table.size()).isZero();
    assertThat(metrics.changeCount(AuthMethod.SESSION, Change.EXPIRED)).isEqualTo(1);
  }

  @Test
  void theMostRecentBindingOfAnAddressWinsWhateverItsSource() throws Exception {
    InetAddress a = ip("10.0.0.5");
    table.bind(a, binding("alice", AuthMethod.RADIUS, Duration.ofHours(8)), "radius:wlc");
    clock.advance(Duration.ofSeconds(1));
    table.bind(a, session("bob", Duration.ofHours(1)), "session:logon");

    AddressBinding found = table.find(a, clock.instant());
    assertThat(found.user()).isEqualTo("bob");
    assertThat(found.method()).isEqualTo(AuthMethod.SESSION);
  }

  @Test
  void endingAtOnceOnlyTheNamedUsersBinding() throws Exception {
    InetAddress a = ip("10.0.0.5");
    table.bind(a, session("alice", Duration.ofHours(1)), "session:logon");
    clock.advance(Duration.ofSeconds(5));
    table.bind(a, session("bob", Duration.ofHours(1)), "session:logon");

    assertThat(table.end(a, "alice")).as("alice's late logoff leaves bob").isNull();
    assertThat(table.find(a, clock.instant()).user()).isEqualTo("bob");
    assertThat(table.end(a, "BOB").user()).isEqualTo("bob");
    assertThat(table.find(a, clock.instant())).isNull();
    assertThat(table.end(a, null)).as("nothing left to end").isNull();
    assertThat(metrics.changeCount(AuthMethod.SESSION, Change.ENDED)).isEqualTo(1);
  }

  @Test
  void anOlderChangeFromTheJournalCannotBringAnEndedBindingBack() throws Exception {
    InetAddress a = ip("10.0.0.5");
    AddressBinding alice = session("alice", Duration.ofHours(1));
    Instant made = clock.instant();
    table.bind(a, alice, "session:logon");
    clock.advance(Duration.ofSeconds(1));
    table.end(a, null);

    assertThat(table.apply(new JournalEntry(a, alice, "session:logon", made, false))).isFalse();
    assertThat(table.find(a, clock.instant())).isNull();
    assertThat(table.apply(new JournalEntry(a, session("carol", Duration.ofHours(1)), "session:other-node",
        clock.instant().plusSeconds(1), false))).as("a newer one from another node applies").isTrue();
    assertThat(table.find(a, clock.instant()).user()).isEqualTo("carol");
  }

  @Test
  void aNasThatRestartsEndsOnlyItsOwnBindings() throws Exception {
    table.bind(ip("10.0.0.5"), binding("alice", AuthMethod.RADIUS, Duration.ofHours(8)), "radius:wlc-a");
    table.bind(ip("10.0.0.6"), binding("bob", AuthMethod.RADIUS, Duration.ofHours(8)), "radius:wlc-b");
    table.bind(ip("10.0.0.7"), session("carol", Duration.ofHours(8)), "session:logon");

    assertThat(table.endAllFrom("radius:wlc-a")).isEqualTo(1);
    assertThat(table.find(ip("10.0.0.5"), clock.instant())).isNull();
    assertThat(table.find(ip("10.0.0.6"), clock.instant()).user()).isEqualTo("bob");
    assertThat(table.find(ip("10.0.0.7"), clock.instant()).user()).isEqualTo("carol");
  }

  @Test
  void ipv4MappedIpv6AddressesMeetTheirIpv4Binding() throws Exception {
    table.bind(ip("10.0.0.5"), session("alice", Duration.ofHours(1)), "session:logon");
    table.bind(ip("2001:db8::5"), session("dan", Duration.ofHours(1)), "session:logon");

    assertThat(table.find(ip("::ffff:10.0.0.5"), clock.instant()).user()).isEqualTo("alice");
    assertThat(table.find(ip("2001:DB8:0:0::5"), clock.instant()).user()).isEqualTo("dan");
  }

  @Test
  void aBindingThatHasAlreadyEndedIsRefused() throws Exception {
    AddressBinding past = new AddressBinding("alice", Set.of(), AuthMethod.SESSION, START.minusSeconds(1));
    assertThatThrownBy(() -> table.bind(ip("10.0.0.5"), past, "session:logon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the binding of 10.0.0.5 to alice ends 2026-11-23T07:59:59Z, before now (2026-11-23T08:00:00Z)");
  }

  @Test
  void findAllocatesNothing() throws Exception {
    InetAddress bound = ip("10.0.0.5");
    InetAddress other = ip("10.0.0.9");
    table.bind(bound, session("alice", Duration.ofHours(1)), "session:logon");
    Instant now = clock.instant();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int found = 0;
    for (int i = 0; i < 20_000; i++) {
      found += table.find(bound, now) != null && table.find(other, now) == null ? 1 : 0;
    }
    // the least of five rounds: a round may still run the loop before the JIT has compiled it (on a
    // loaded machine compilation comes late), a look-up that allocates shows in every round
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 100_000; i++) {
        found += table.find(bound, now) != null && table.find(other, now) == null ? 1 : 0;
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(id) - before);
    }

    assertThat(found).isEqualTo(520_000);
    assertThat(allocated).as("bytes allocated by 200,000 look-ups (the least of five rounds)").isLessThan(1024);
  }

  private AddressBinding session(String user, Duration length) {
    return binding(user, AuthMethod.SESSION, length);
  }

  private AddressBinding binding(String user, AuthMethod method, Duration length) {
    return new AddressBinding(user, Set.of(), method, clock.instant().plus(length));
  }

  static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
