package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.resolver.testing.DnsTestClient.A;
import static org.schoolgate.resolver.testing.DnsTestClient.AAAA;
import static org.schoolgate.resolver.testing.ResolverHarness.PUPIL;
import static org.schoolgate.resolver.testing.ResolverHarness.STAFF;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.resolver.testing.DnsTestClient.Reply;
import org.schoolgate.resolver.testing.ResolverHarness;

/**
 * The second look at upstream answers over real DNS traffic: names in a CNAME chain are decided
 * like the name asked for, and addresses inside the school behind public names (DNS rebinding)
 * are refused unless the policy's intranet list or {@code allow-internal} lets the group reach them.
 */
class AnswerChecksEndToEndTest {
  @TempDir Path dir;
  private ResolverHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private void start() throws InterruptedException {
    h = ResolverHarness.start(dir, c -> c.withBlockAnswer(BlockAnswer.parse("address 10.0.0.5")),
        AddressBindings.NONE);
  }

  @Test
  void anAliasOfABlockedNameIsBlockedWithTheAliasDecision() throws Exception {
    start();
    h.upstream.cname("innocent.example", "edge.cdn.example").cname("edge.cdn.example", "www.bet.example")
        .address("www.bet.example", "192.0.2.66", 300);

    Reply pupil = h.client(PUPIL).udp("innocent.example", A);
    Reply again = h.client(PUPIL).udp("innocent.example", A); // from the cache: checked again

    assertThat(pupil.data()).containsExactly("A 10.0.0.5");
    assertThat(pupil.answers().get(0).name()).isEqualTo("innocent.example.");
    assertThat(again.data()).containsExactly("A 10.0.0.5");
    assertThat(h.upstream.asked("innocent.example")).isEqualTo(1);
    Map<String, Object> line = h.linesFor("innocent.example").get(0);
    assertThat(line).containsEntry("action", "block").containsEntry("categories", List.of("gambling"))
        .containsEntry("rule", "matrix:gambling/pupils").containsEntry("answer", "block-address")
        .containsEntry("reason", "the name is an alias (CNAME) of a blocked name: gambling is unacceptable for pupils");
    assertThat(h.linesFor("innocent.example").get(1)).containsEntry("action", "block");
  }

  @Test
  void anAliasChainOfAllowedNamesIsServedWhole() throws Exception {
    start();
    h.upstream.cname("www.news.example", "news.cdn.example").address("news.cdn.example", "192.0.2.40", 300);

    Reply pupil = h.client(PUPIL).udp("www.news.example", A);

    assertThat(pupil.data()).containsExactly("CNAME news.cdn.example.", "A 192.0.2.40");
    assertThat(h.linesFor("www.news.example").get(0)).containsEntry("action", "allow").containsEntry("answer", "upstream");
  }

  @Test
  void anIllegalAliasIsBlockedForStaffToo() throws Exception {
    start();
    h.upstream.cname("short.example", "cdn.illegal.example").address("cdn.illegal.example", "192.0.2.9", 300);

    Reply staff = h.client(STAFF).tcp("short.example", A);

    assertThat(staff.data()).containsExactly("A 10.0.0.5");
    assertThat(h.linesFor("short.example").get(0)).containsEntry("group", "staff").containsEntry("level", "illegal")
        .containsEntry("rule", "illegal-category:child-abuse/staff");
  }

  @Test
  void aPublicNameResolvingInsideTheSchoolIsRefusedForPupils() throws Exception {
    start();
    h.upstream.address("rebind.attacker.example", "10.1.2.3", 5)
        .address("local.attacker.example", "127.0.0.1", 5)
        .address("meta.attacker.example", "169.254.169.254", 5)
        .address("v6.attacker.example", "fd00::1", 5)
        .address("mixed.attacker.example", "192.0.2.1", 5).address("mixed.attacker.example", "192.168.1.1", 5);

    for (String name : List.of("rebind.attacker.example", "local.attacker.example", "meta.attacker.example",
        "mixed.attacker.example")) {
      Reply r = h.client(PUPIL).udp(name, A);
      assertThat(r.rcode()).as(name).isEqualTo("NOERROR");
      assertThat(r.answers()).as(name).isEmpty();
      assertThat(r.authority()).as(name).extracting(rec -> rec.type()).containsExactly("SOA");
    }
    assertThat(h.client(PUPIL).udp("v6.attacker.example", AAAA).answers()).isEmpty();
    Map<String, Object> line = h.linesFor("rebind.attacker.example").get(0);
    assertThat(line).containsEntry("action", "block").containsEntry("rule", "dns-rebinding")
        .containsEntry("answer", "nodata");
    assertThat((String) line.get("reason")).contains("10.1.2.3", "destinations.intranet");
  }

  @Test
  void staffMayResolveInternalAddressesButNeverTheFiltersOwnMachine() throws Exception {
    start();
    h.upstream.address("rebind.attacker.example", "10.1.2.3", 5).address("local.attacker.example", "127.0.0.1", 5);

    assertThat(h.client(STAFF).udp("rebind.attacker.example", A).data()).containsExactly("A 10.1.2.3");
    assertThat(h.client(STAFF).udp("local.attacker.example", A).answers()).isEmpty();
    assertThat(h.linesFor("local.attacker.example").get(0)).containsEntry("rule", "dns-rebinding");
  }

  @Test
  void theIntranetListLetsPupilsResolveTheSchoolsOwnHostsAndNetworks() throws Exception {
    start();
    h.upstream.address("vle.school.example", "10.9.9.9", 60)
        .address("printers.school.example", "10.20.30.40", 60)
        .address("files.school.example", "10.20.31.1", 60)
        .address("dc01.school.internal", "10.0.0.10", 60)
        .address("nas", "192.168.0.2", 60);

    assertThat(h.client(PUPIL).udp("vle.school.example", A).data()).containsExactly("A 10.9.9.9");
    assertThat(h.client(PUPIL).udp("printers.school.example", A).data()).containsExactly("A 10.20.30.40");
    assertThat(h.client(PUPIL).udp("files.school.example", A).answers()).isEmpty();
    // names nobody can register outside are the school's own DNS: not checked
    assertThat(h.client(PUPIL).udp("dc01.school.internal", A).data()).containsExactly("A 10.0.0.10");
    assertThat(h.client(PUPIL).udp("nas", A).data()).containsExactly("A 192.168.0.2");
  }

  @Test
  void aPublicAliasOfAnInternalHostIsRefused() throws Exception {
    start();
    h.upstream.cname("evil.attacker.example", "dc01.school.internal").address("dc01.school.internal", "10.0.0.10", 60);

    Reply pupil = h.client(PUPIL).udp("evil.attacker.example", A);

    assertThat(pupil.answers()).isEmpty();
    assertThat(h.linesFor("evil.attacker.example").get(0)).containsEntry("rule", "dns-rebinding");
  }
}
