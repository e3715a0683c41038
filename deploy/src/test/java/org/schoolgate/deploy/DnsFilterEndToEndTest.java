package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.resolver.DnsFilterConfig;
import org.schoolgate.resolver.testing.DnsTestClient;
import org.schoolgate.resolver.testing.UpstreamStandIn;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;

/**
 * The filtering DNS resolver inside a whole Schoolgate (sample policy, SQLite, alert engine, the
 * proxy's access log), asked by a real client on loopback: its queries are lines in the same
 * access log as the proxy's requests, and they raise the same alerts — once per name, however
 * often the device looks it up.
 */
class DnsFilterEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private UpstreamStandIn upstream;
  private Schoolgate schoolgate;

  @BeforeEach
  void start() throws Exception {
    upstream = new UpstreamStandIn().address("www.example.test", "192.0.2.7", 60);
  }

  private Schoolgate startSchoolgate(RuntimeConfig config) throws Exception {
    schoolgate = Schoolgate.start(config, clock);
    return schoolgate;
  }

  private RuntimeConfig config() throws Exception {
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, SamplePolicy.extractTo(dataDir)).withProxyPort(0)
        .withAdminPort(0);
    return embedded.withDns(embedded.dns().withFilter(new DnsFilterSettings(DnsFilterConfig.embeddedDefault()
        .withPort(0).withUpstreams(List.of(upstream.address())), true)));
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    upstream.close();
  }

  private DnsTestClient pupil() {
    return new DnsTestClient(schoolgate.dnsFilter().udpAddresses().get(0), PUPIL);
  }

  @Test
  void aDevicesLookupsRaiseTheSameAlertsAsRequestsButOncePerName() throws Exception {
    startSchoolgate(config());
    DnsTestClient pupil = pupil();

    for (int type : new int[] {DnsTestClient.A, DnsTestClient.AAAA, DnsTestClient.HTTPS, DnsTestClient.A}) {
      assertThat(pupil.udp("extreme-pornography.schoolgate.test", type).rcode()).isEqualTo("NXDOMAIN");
    }
    assertThat(pupil.udp("dns.google", DnsTestClient.A).rcode()).isEqualTo("NXDOMAIN");
    assertThat(pupil.udp("dns.google", DnsTestClient.AAAA).rcode()).isEqualTo("NXDOMAIN");
    assertThat(pupil.udp("use-application-dns.net", DnsTestClient.A).rcode()).isEqualTo("NXDOMAIN");
    assertThat(pupil.udp("www.example.test", DnsTestClient.A).data()).containsExactly("A 192.0.2.7");
    // a marker: once its alert is in, every lookup before it has been evaluated (the engine is FIFO)
    assertThat(pupil.tcp("child-grooming.schoolgate.test", DnsTestClient.A).rcode()).isEqualTo("NXDOMAIN");
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(alerts())
        .anySatisfy(a -> assertThat(a.content().subject()).contains("child-grooming.schoolgate.test")));

    assertThat(alerts()).extracting(a -> a.content().kind() + " " + a.content().severity().apiName() + " "
            + a.content().audience().apiName())
        .containsExactlyInAnyOrder("illegal-category critical dsl", "circumvention warning technicians",
            "illegal-category critical dsl");
    assertThat(alerts()).filteredOn(a -> a.content().kind().equals("illegal-category")
            && a.content().subject().contains("extreme-pornography")).singleElement()
        .satisfies(a -> assertThat(a.content().details()).contains("client: 127.0.0.1",
            "url: extreme-pornography.schoolgate.test (DNS A lookup)"));
  }

  @Test
  void dnsLinesSitBesideTheProxysLinesInTheAccessLog() throws Exception {
    startSchoolgate(config());
    SchoolgateClient client = new SchoolgateClient(schoolgate);

    assertThat(client.fetch(PUPIL, "http://www.bet365.com/")).startsWith("HTTP/1.1 403");
    assertThat(pupil().udp("www.bet365.com", DnsTestClient.A).rcode()).isEqualTo("NXDOMAIN");
    schoolgate.proxy().flushAccessLog(Duration.ofSeconds(10));

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(schoolgate.config().accessLogDir().resolve("access-2026-11-23.jsonl"))) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(2);
    JsonNode http = lines.stream().filter(l -> !l.has("event")).findFirst().orElseThrow();
    JsonNode dns = lines.stream().filter(l -> l.has("event")).findFirst().orElseThrow();
    assertThat(http.get("method").asText()).isEqualTo("GET");
    assertThat(dns.get("event").asText()).isEqualTo("dns");
    assertThat(dns.get("client").asText()).isEqualTo(PUPIL);
    assertThat(dns.get("group").asText()).isEqualTo("ks3-4");
    assertThat(dns.get("host").asText()).isEqualTo("www.bet365.com");
    assertThat(dns.get("qtype").asText()).isEqualTo("A");
    assertThat(dns.get("categories").toString()).isEqualTo("[\"gambling\"]");
    assertThat(dns.get("action").asText()).isEqualTo("block");
    assertThat(dns.get("rule").asText()).isEqualTo(http.get("rule").asText());
    assertThat(dns.get("answer").asText()).isEqualTo("nxdomain");
    assertThat(Banner.dnsFilter(schoolgate)).startsWith("127.0.0.1:")
        .contains("UDP and TCP (this machine only), forwarding to 127.0.0.1:" + upstream.address().getPort(),
            "blocked names get nxdomain");
  }

  @Test
  void theEmbeddedDefaultsResolverOnABusyPortOnlyWarnsButAConfiguredOneStopsTheStart() throws Exception {
    try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = busy.getLocalPort();
      RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, SamplePolicy.extractTo(dataDir)).withProxyPort(0)
          .withAdminPort(0).withDnsFilterPort(port);

      startSchoolgate(embedded);
      assertThat(schoolgate.dnsFilter()).isNull();
      assertThat(schoolgate.dnsFilterOff()).startsWith("off: DNS filter could not listen on 127.0.0.1:" + port + " (UDP)");
      assertThat(Banner.dnsFilter(schoolgate)).isEqualTo(schoolgate.dnsFilterOff());
      schoolgate.close();
      schoolgate = null;

      RuntimeConfig configured = config().withDnsFilterPort(port);
      assertThatThrownBy(() -> startSchoolgate(configured)).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("DNS filter could not listen on 127.0.0.1:" + port + " (UDP)");
    }
  }

  private List<Alert> alerts() {
    return schoolgate.store().alerts().list(new AlertStore.Query(null, false, 100));
  }
}
