package org.schoolgate.alerts.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.replay.LogLines.LONDON;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.alerts.AccessInput;

class AccessLogLineTest {
  private static final Instant T = Instant.parse("2026-07-06T09:00:00.123456Z");

  @Test
  void aBlockedPlainRequestBecomesTheInputDeployBuildsForALiveEvent() {
    String line = LogLines.line(T, "10.10.3.7", "sam", "ks3-4", "http", "casino.example", 8080, "/spin", "bet=5",
        List.of("gambling", "games"), "block", "unacceptable", "matrix:gambling/ks3-4", null);
    assertThat(AccessLogLine.parse(line, LONDON)).contains(new AccessInput(T, LONDON, "10.10.3.7", "sam", "ks3-4",
        "casino.example", "http://casino.example:8080/spin?bet=5", List.of("gambling", "games"), "block",
        "unacceptable", "matrix:gambling/ks3-4", null));
    assertThat(AccessLogLine.time(line)).isEqualTo(T);
  }

  @Test
  void aTunnelIsHostAndPortAndMissingFieldsAreNull() {
    String line = LogLines.line(T, "10.10.3.8", null, null, "https", "vpn.example", 443, "", null, List.of(),
        "block", null, "sni-mismatch", null);
    assertThat(AccessLogLine.parse(line, LONDON)).contains(new AccessInput(T, LONDON, "10.10.3.8", null, null,
        "vpn.example", "vpn.example:443", List.of(), "block", null, "sni-mismatch", null));
  }

  @Test
  void aSearchKeepsItsTermAndPort80IsLeftOutOfTheUrl() {
    String line = LogLines.line(T, "10.10.3.7", "kim", "ks3-4", "http", "www.google.com", 80, "/search",
        "q=how+to", List.of("search-engines"), "allow", "acceptable", "default", "how to");
    AccessInput e = AccessLogLine.parse(line, LONDON).orElseThrow();
    assertThat(e.url()).isEqualTo("http://www.google.com/search?q=how+to");
    assertThat(e.search()).isEqualTo("how to");
    assertThat(e.blocked()).isFalse();
  }

  @Test
  void aDnsLineFromTheFilteringResolverBecomesADnsInput() {
    // exactly as the access-log writer puts a DNS query (proxy-core AccessLogWriter.write(DnsEvent))
    String line = "{\"time\":\"2026-07-06T09:00:00.123456Z\",\"event\":\"dns\",\"client\":\"10.10.3.7\","
        + "\"user\":null,\"group\":\"ks3-4\",\"transport\":\"udp\",\"host\":\"dns.google\",\"qtype\":\"A\","
        + "\"categories\":[\"filter-bypass\"],\"action\":\"block\",\"level\":\"unacceptable\","
        + "\"rule\":\"matrix:filter-bypass/ks3-4\",\"reason\":\"filter-bypass is unacceptable for ks3-4\","
        + "\"answer\":\"nxdomain\",\"rcode\":\"NXDOMAIN\",\"durationMs\":0}";
    AccessInput e = AccessLogLine.parse(line, LONDON).orElseThrow();
    assertThat(e).isEqualTo(AccessInput.dns(T, LONDON, "10.10.3.7", null, "ks3-4", "dns.google", "A",
        List.of("filter-bypass"), "block", "unacceptable", "matrix:filter-bypass/ks3-4"));
    assertThat(e.dnsQuery()).isTrue();
    assertThat(e.url()).isEqualTo("dns.google (DNS A lookup)");
    assertThat(AccessLogLine.time(line)).isEqualTo(T);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "{\"time\":\"2026-07-06T09:00:00Z\",\"client\":\"10.10.3.7\",\"user\":\"sa",
      "{\"time\":\"2026-07-06T09:00:00Z\",\"client\":\"10.10.3.7\"}",
      "{\"time\":\"yesterday\",\"action\":\"block\"}",
      "not json at all",
      "[1, 2, 3]",
      "\u0000\u0000\u0000",
  })
  void aLineThatIsNotAWholeEventIsRefused(String line) {
    assertThat(AccessLogLine.parse(line, LONDON)).isEmpty();
  }
}
