package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.proxy.testing.EchoServer;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * Temporary unblocks end to end: the admin side publishes an {@link UnblockSet} to the holder the
 * running proxy reads, the next request is allowed for the unblock's scope only, the access log
 * names the unblock, and it stops at its end time.
 */
class UnblockEndToEndTest {
  private static final String YEAR_10 = "127.0.0.2";
  private static final String YEAR_7 = "127.0.0.4";
  private static final String YEAR_7_ROOM_4 = "127.0.0.5";
  private static final Instant START = Instant.parse("2026-11-23T12:30:00Z"); // London is on UTC in November

  private static final MutableClock clock = new MutableClock(START);

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static EchoServer echo = new EchoServer();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            year-10: { subnets: [127.0.0.2/32], description: "Year 10" }
            year-7:  { subnets: [127.0.0.4/31], description: "Year 7" }
            staff:   { subnets: [127.0.0.3/32] }
          categories:
            gambling: { domains: [bet365.com] }
          matrix:
            gambling: { default: unacceptable, staff: acceptable }
          default: acceptable
          tunnels: { allowed-ports: [1024-65535] }
          """)
      .clock(clock)
      .staticHost("www.bet365.com", "127.0.0.1");

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(get(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withBody("hello from the origin")));
  }

  @AfterEach
  void reset() {
    proxy.holder().setUnblocks(UnblockSet.EMPTY);
    clock.set(START);
  }

  private String url(String path) {
    return "http://www.bet365.com:" + origin.getPort() + path;
  }

  private static Unblock unblock(long id, UnblockScope scope, String until) {
    return new Unblock(new UnblockId(id), new UnblockTarget.Domain("bet365.com"), scope,
        Instant.parse("2026-11-23T12:00:00Z"), Instant.parse(until), "mrs.jones", "mr.khan",
        "Year 10 statistics project on odds");
  }

  private static Response fetch(String from, String url) throws Exception {
    try (ProxyClient client = proxy.client(from)) {
      return client.get(url);
    }
  }

  private static Map<String, Object> logLine(String path) throws Exception {
    List<Map<String, Object>> lines = proxy.accessLog();
    return lines.stream().filter(l -> path.equals(l.get("path"))).findFirst()
        .orElseThrow(() -> new AssertionError("no access-log line for " + path + " in " + lines));
  }

  @Test
  void groupUnblockAllowsThatGroupOnlyNamesTheUnblockInTheLogAndEndsAtItsEndTime() throws Exception {
    assertThat(fetch(YEAR_10, url("/odds-before")).status()).isEqualTo(403);

    proxy.holder().setUnblocks(UnblockSet.compile(List.of(unblock(12,
        new UnblockScope(Set.of(new GroupId("year-10")), Set.of(), List.of()), "2026-11-23T14:00:00Z"))));

    Response allowed = fetch(YEAR_10, url("/odds-during"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.text()).isEqualTo("hello from the origin");
    try (ProxyClient year10 = proxy.client(YEAR_10)) {
      assertThat(year10.connectTunnel("www.bet365.com:" + echo.port()).status()).isEqualTo(200);
    }
    assertThat(fetch(YEAR_7, url("/odds-other-group")).status()).isEqualTo(403);

    clock.set(Instant.parse("2026-11-23T14:00:00Z"));
    assertThat(fetch(YEAR_10, url("/odds-after")).status()).isEqualTo(403);

    assertThat(logLine("/odds-before")).containsEntry("action", "block")
        .containsEntry("rule", "matrix:gambling/year-10").containsEntry("unblock", null);
    assertThat(logLine("/odds-during")).containsEntry("action", "allow").containsEntry("rule", "unblock")
        .containsEntry("unblock", 12L).containsEntry("level", "unacceptable")
        .containsEntry("categories", List.of("gambling")).containsEntry("status", 200L)
        .containsEntry("reason", "gambling is unacceptable for Year 10 (year-10), but unblock #12 (requested by"
            + " mrs.jones: 'Year 10 statistics project on odds') allows it until 14:00 23 Nov");
    assertThat(logLine("/odds-other-group")).containsEntry("action", "block").containsEntry("group", "year-7")
        .containsEntry("rule", "matrix:gambling/year-7").containsEntry("unblock", null);
    assertThat(logLine("/odds-after")).containsEntry("action", "block").containsEntry("time", "2026-11-23T14:00:00Z")
        .containsEntry("rule", "matrix:gambling/year-10").containsEntry("unblock", null);
  }

  @Test
  void roomUnblockAppliesByTheClientsAddressNotItsGroup() throws Exception {
    proxy.holder().setUnblocks(UnblockSet.compile(List.of(unblock(31,
        new UnblockScope(Set.of(), Set.of(), List.of("127.0.0.5/32")), "2026-11-23T13:00:00Z"))));

    assertThat(fetch(YEAR_7_ROOM_4, url("/room-4")).status()).isEqualTo(200);
    assertThat(fetch(YEAR_7, url("/room-other")).status()).isEqualTo(403);

    assertThat(logLine("/room-4")).containsEntry("group", "year-7").containsEntry("client", YEAR_7_ROOM_4)
        .containsEntry("rule", "unblock").containsEntry("unblock", 31L);
    assertThat(logLine("/room-other")).containsEntry("client", YEAR_7).containsEntry("unblock", null);
  }
}
