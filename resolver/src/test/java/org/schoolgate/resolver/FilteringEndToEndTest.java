package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.resolver.testing.DnsTestClient.A;
import static org.schoolgate.resolver.testing.DnsTestClient.AAAA;
import static org.schoolgate.resolver.testing.DnsTestClient.HTTPS;
import static org.schoolgate.resolver.testing.DnsTestClient.SVCB;
import static org.schoolgate.resolver.testing.ResolverHarness.OTHER_PUPIL;
import static org.schoolgate.resolver.testing.ResolverHarness.PUPIL;
import static org.schoolgate.resolver.testing.ResolverHarness.STAFF;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.resolver.metrics.ResolverMetrics;
import org.schoolgate.resolver.testing.DnsTestClient;
import org.schoolgate.resolver.testing.DnsTestClient.Reply;
import org.schoolgate.resolver.testing.ResolverHarness;

/**
 * The policy over real DNS traffic on loopback: devices (source addresses 127.0.0.x) ask the
 * resolver over UDP and TCP; it asks the upstream stand-in; the access log is real.
 */
class FilteringEndToEndTest {
  @TempDir Path dir;
  private ResolverHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private ResolverHarness start(BlockAnswer block) throws InterruptedException {
    h = ResolverHarness.start(dir, c -> c.withBlockAnswer(block), AddressBindings.NONE);
    return h;
  }

  @Test
  void anAllowedNameIsAnsweredWithTheUpstreamsRecordsOverUdpAndTcp() throws Exception {
    start(BlockAnswer.NXDOMAIN);
    h.upstream.address("www.example.test", "192.0.2.7", 120).address("www.example.test", "2001:db8::7", 120);

    Reply udp = h.client(PUPIL).udp("www.example.test", A);
    Reply tcp = h.client(PUPIL).tcp("www.example.test", AAAA);

    assertThat(udp.rcode()).isEqualTo("NOERROR");
    assertThat(udp.recursionAvailable()).isTrue();
    assertThat(udp.data()).containsExactly("A 192.0.2.7");
    assertThat(udp.answers().get(0).ttl()).isEqualTo(120);
    assertThat(udp.additional()).extracting(DnsTestClient.Rec::type).containsExactly("OPT");
    assertThat(tcp.data()).containsExactly("AAAA 2001:db8:0:0:0:0:0:7");
    Map<String, Object> line = h.linesFor("www.example.test").get(0);
    assertThat(line).containsEntry("event", "dns").containsEntry("client", PUPIL).containsEntry("group", "pupils")
        .containsEntry("transport", "udp").containsEntry("qtype", "A").containsEntry("action", "allow")
        .containsEntry("rule", "default").containsEntry("answer", "upstream").containsEntry("rcode", "NOERROR")
        .containsEntry("categories", List.of());
    assertThat(h.linesFor("www.example.test").get(1)).containsEntry("transport", "tcp").containsEntry("qtype", "AAAA");
  }

  @Test
  void aBlockedNameGetsTheBlockPageAddressAndNeverReachesTheUpstream() throws Exception {
    start(BlockAnswer.parse("address 10.0.0.5 fd00::5"));
    h.upstream.address("www.bet.example", "192.0.2.66", 300);

    Reply a = h.client(PUPIL).udp("WWW.Bet.Example", A);
    Reply aaaa = h.client(PUPIL).udp("www.bet.example", AAAA);
    Reply txt = h.client(PUPIL).udp("www.bet.example", DnsTestClient.TXT);

    assertThat(a.rcode()).isEqualTo("NOERROR");
    assertThat(a.data()).containsExactly("A 10.0.0.5");
    assertThat(a.answers().get(0).name()).isEqualTo("WWW.Bet.Example."); // the name exactly as asked
    assertThat(a.answers().get(0).ttl()).isEqualTo(60);
    assertThat(aaaa.data()).containsExactly("AAAA fd00:0:0:0:0:0:0:5");
    assertThat(txt.rcode()).isEqualTo("NOERROR");
    assertThat(txt.answers()).isEmpty(); // NODATA: no block address of that type
    assertThat(txt.authority()).extracting(DnsTestClient.Rec::type).containsExactly("SOA");
    assertThat(h.upstream.asked("www.bet.example")).isZero();
    assertThat(h.linesFor("www.bet.example").get(0)).containsEntry("action", "block")
        .containsEntry("categories", List.of("gambling")).containsEntry("level", "unacceptable")
        .containsEntry("rule", "matrix:gambling/pupils").containsEntry("answer", "block-address")
        .containsEntry("reason", "gambling is unacceptable for pupils");
    assertThat(h.count(ResolverMetrics.QUERIES, "action", "block", "qtype", "a")).isEqualTo(1);
    assertThat(h.count(ResolverMetrics.QUERIES, "action", "block", "qtype", "aaaa")).isEqualTo(1);
    assertThat(h.count(ResolverMetrics.QUERIES, "action", "block", "qtype", "other")).isEqualTo(1);
  }

  @Test
  void inNxdomainModeABlockedNameDoesNotExistForAsLongAsTheBlockTtl() throws Exception {
    start(BlockAnswer.NXDOMAIN);

    Reply r = h.client(PUPIL).tcp("bet.example", A);

    assertThat(r.rcode()).isEqualTo("NXDOMAIN");
    assertThat(r.answers()).isEmpty();
    assertThat(r.authority()).singleElement().satisfies(soa -> {
      assertThat(soa.type()).isEqualTo("SOA");
      assertThat(soa.data()).isEqualTo("schoolgate.invalid. hostmaster.schoolgate.invalid. 60");
      assertThat(soa.ttl()).isEqualTo(60);
    });
    assertThat(h.linesFor("bet.example").get(0)).containsEntry("answer", "nxdomain").containsEntry("rcode", "NXDOMAIN");
  }

  @Test
  void anIllegalCategoryIsBlockedForStaffToo() throws Exception {
    start(BlockAnswer.parse("address 10.0.0.5"));
    Reply staff = h.client(STAFF).udp("cdn.illegal.example", A);

    assertThat(staff.data()).containsExactly("A 10.0.0.5");
    assertThat(h.linesFor("cdn.illegal.example").get(0)).containsEntry("group", "staff")
        .containsEntry("level", "illegal").containsEntry("rule", "illegal-category:child-abuse/staff");
  }

  @Test
  void firefoxsDohCanaryDoesNotExistForAnybody() throws Exception {
    start(BlockAnswer.parse("address 10.0.0.5"));
    h.upstream.address("use-application-dns.net", "192.0.2.1", 60);

    assertThat(h.client(PUPIL).udp("use-application-dns.net", A).rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.client(STAFF).udp("use-application-dns.net", AAAA).rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.upstream.asked("use-application-dns.net")).isZero();
    assertThat(h.linesFor("use-application-dns.net")).extracting(l -> l.get("rule"))
        .containsExactly("dns-canary", "dns-canary");
  }

  @Test
  void pupilsGetNoHttpsOrSvcbRecordsWhileStaffGetThem() throws Exception {
    start(BlockAnswer.NXDOMAIN);
    h.upstream.address("www.example.test", "192.0.2.7", 300).https("www.example.test")
        .httpsInAdditional("www.example.test");

    Reply pupil = h.client(PUPIL).udp("www.example.test", HTTPS);
    Reply pupilSvcb = h.client(PUPIL).udp("_dns.resolver.arpa", SVCB);
    Reply staff = h.client(STAFF).udp("www.example.test", HTTPS);
    Reply pupilA = h.client(PUPIL).udp("www.example.test", A);
    Reply staffA = h.client(STAFF).udp("www.example.test", A);

    assertThat(pupil.rcode()).isEqualTo("NOERROR");
    assertThat(pupil.answers()).isEmpty();
    assertThat(pupilSvcb.answers()).isEmpty();
    assertThat(staff.answers()).extracting(DnsTestClient.Rec::type).containsExactly("HTTPS");
    // the same cached A answer, with its HTTPS record removed for the pupil only
    assertThat(pupilA.data()).containsExactly("A 192.0.2.7");
    assertThat(pupilA.additional()).extracting(DnsTestClient.Rec::type).containsExactly("OPT");
    assertThat(staffA.additional()).extracting(DnsTestClient.Rec::type).containsExactlyInAnyOrder("OPT", "HTTPS");
    assertThat(h.upstream.asked("www.example.test")).isEqualTo(2); // HTTPS once (for staff), A once
    assertThat(h.linesFor("www.example.test")).extracting(l -> l.get("rule") + " " + l.get("answer"))
        .containsExactly("dns-https-record nodata", "default upstream", "default upstream", "default cache");
    assertThat(h.linesFor("www.example.test").get(2)).containsEntry("stripped", 1);
    assertThat(h.count(ResolverMetrics.STRIPPED)).isEqualTo(1);
  }

  @Test
  void aDohResolversNameIsRefusedForPupilsAndAnsweredForStaff() throws Exception {
    start(BlockAnswer.parse("address 10.0.0.5"));
    h.upstream.address("dns.google", "192.0.2.8", 300);

    Reply pupil = h.client(PUPIL).udp("dns.google", A);
    Reply staff = h.client(STAFF).udp("dns.google", A);

    assertThat(pupil.data()).containsExactly("A 10.0.0.5");
    assertThat(staff.data()).containsExactly("A 192.0.2.8");
    assertThat(h.linesFor("dns.google")).extracting(l -> l.get("group") + " " + l.get("action") + " " + l.get("rule"))
        .containsExactly("pupils block matrix:filter-bypass/pupils", "staff allow matrix:filter-bypass/staff");
  }

  @Test
  void icloudPrivateRelayGetsNxdomainWhateverTheBlockAnswer() throws Exception {
    start(BlockAnswer.parse("address 10.0.0.5"));

    assertThat(h.client(PUPIL).udp("mask.icloud.com", A).rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.client(PUPIL).udp("mask-h2.icloud.com", AAAA).rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.linesFor("mask.icloud.com").get(0)).containsEntry("answer", "nxdomain")
        .containsEntry("categories", List.of("filter-bypass"));
  }

  @Test
  void theUserBoundToAnAddressDecidesTheGroupAndIsLogged() throws Exception {
    InetAddress pupilDevice = InetAddress.getByName(OTHER_PUPIL);
    AddressBinding smith = new AddressBinding("j.smith", Set.of(), AuthMethod.SESSION,
        Instant.parse("2026-11-23T16:00:00Z"));
    AddressBindings bindings = (client, now) -> client.equals(pupilDevice) && smith.activeAt(now) ? smith : null;
    h = ResolverHarness.start(dir, c -> c.withBlockAnswer(BlockAnswer.NXDOMAIN), bindings);
    h.upstream.address("dns.google", "192.0.2.8", 300);

    Reply smithOnAPupilDevice = h.client(OTHER_PUPIL).udp("dns.google", A);
    Reply pupil = h.client(PUPIL).udp("dns.google", A);

    assertThat(smithOnAPupilDevice.data()).containsExactly("A 192.0.2.8");
    assertThat(pupil.rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.linesFor("dns.google").get(0)).containsEntry("client", OTHER_PUPIL).containsEntry("user", "j.smith")
        .containsEntry("group", "staff");
    assertThat(h.linesFor("dns.google").get(1)).containsEntry("user", null).containsEntry("group", "pupils");
  }
}
