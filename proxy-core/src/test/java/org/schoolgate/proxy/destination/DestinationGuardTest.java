package org.schoolgate.proxy.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.Rule;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * The guard's own part (the proxy host's addresses, the admin origin, fail closed, counting) and
 * the forwarding headers; the policy's part is tested in policy-engine, the whole path from
 * another host (and an address of this host's interfaces that is not loopback) in {@link
 * DestinationRulesNetnsTest}.
 */
class DestinationGuardTest {
  private static final String KEY = "k".repeat(DestinationSettings.MIN_KEY_CHARS);
  private static final GroupId PUPILS = new GroupId("pupils");

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DestinationGuard guard;

  private PolicySnapshot policy() throws Exception {
    Path file = dir.resolve("policy.yaml");
    java.nio.file.Files.writeString(file, """
        groups:
          pupils: { subnets: [10.10.0.0/16] }
        default: acceptable
        """);
    return PolicyHolder.load(file, Clock.systemUTC()).current();
  }

  private DestinationGuard guard(String adminOrigin) {
    guard = new DestinationGuard(new DestinationSettings(
        adminOrigin == null ? null : URI.create(adminOrigin), adminOrigin == null ? null : KEY,
        Duration.ofMinutes(1)), new ProxyMetrics(registry));
    return guard;
  }

  @AfterEach
  void close() {
    if (guard != null) {
      guard.close();
    }
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private double refused(String kind) {
    return registry.get(ProxyMetrics.DESTINATION_REFUSED).tag("kind", kind).counter().count();
  }

  @Test
  void clientsOnThisHostAreNotRefusedAndOthersAre() throws Exception {
    DestinationGuard g = guard(null);
    PolicySnapshot p = policy();

    assertThat(g.check(p, PUPILS, "localhost", 8080, ip("127.0.0.1"), ip("127.0.0.2")))
        .isSameAs(Destination.OPEN);
    assertThat(g.check(p, PUPILS, "localhost", 8080, ip("127.0.0.1"), ip("10.10.3.4")))
        .isInstanceOf(Destination.Refused.class);
    assertThat(g.check(p, PUPILS, "example.com", 80, ip("93.184.216.34"), ip("10.10.3.4")))
        .isSameAs(Destination.OPEN);
  }

  @Test
  void theAdminOriginIsExemptUnlessItIsLoopback() throws Exception {
    PolicySnapshot p = policy();
    DestinationGuard g = guard("http://Filter.School.Test:8080/");

    assertThat(g.check(p, PUPILS, "filter.school.test", 8080, ip("10.0.0.5"), ip("10.10.3.4")))
        .isSameAs(Destination.ADMIN_ORIGIN);
    assertThat(g.check(p, PUPILS, "filter.school.test", 8081, ip("10.0.0.5"), ip("10.10.3.4")))
        .isInstanceOf(Destination.Refused.class);
    assertThat(g.check(p, PUPILS, "10.0.0.5", 8080, ip("10.0.0.5"), ip("10.10.3.4")))
        .isInstanceOf(Destination.Refused.class);
    assertThat(g.check(p, PUPILS, "filter.school.test", 8080, ip("127.0.0.1"), ip("10.10.3.4")))
        .isInstanceOf(Destination.Refused.class);
    assertThat(g.proxyKey()).isEqualTo(KEY);
  }

  @Test
  void noPolicyOrNoAddressIsRefusedFailClosed() throws Exception {
    DestinationGuard g = guard(null);

    Destination none = g.check(null, PUPILS, "example.com", 80, ip("93.184.216.34"), ip("10.10.3.4"));
    Destination noAddress = g.check(policy(), PUPILS, "example.com", 80, null, ip("10.10.3.4"));

    assertThat(none).isInstanceOfSatisfying(Destination.Refused.class, r -> {
      assertThat(r.decision().rule()).isEqualTo(Rule.FAIL_CLOSED);
      assertThat(r.kind()).isEqualTo("unchecked");
    });
    assertThat(noAddress).isInstanceOf(Destination.Refused.class);
    assertThat(refused("unchecked")).isEqualTo(2);
  }

  @Test
  void metadataNamesAreRefusedBeforeAnyLookup() throws Exception {
    DestinationGuard g = guard(null);

    assertThat(g.checkName(policy(), PUPILS, "metadata.google.internal", ip("10.10.3.4")))
        .isInstanceOfSatisfying(Destination.Refused.class,
            r -> assertThat(r.decision().ruleText()).isEqualTo("internal-destination"));
    assertThat(g.checkName(policy(), PUPILS, "example.com", ip("10.10.3.4")))
        .isSameAs(Destination.OPEN);
    assertThat(refused("metadata")).isEqualTo(1);
  }

  @Test
  void forwardingHeadersAreReplacedWithTheProxysOwn() throws Exception {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Forwarded", "for=1.2.3.4");
    h.add("forwarded", "for=5.6.7.8");
    h.add("X-Forwarded-For", "6.6.6.6");
    h.add("X-Forwarded-Proto", "https");
    h.add("X-Forwarded-Host", "evil.test");
    h.add("X-Real-IP", "6.6.6.6");
    h.add("X-Schoolgate-Proxy-Key", "forged");
    h.add("Cookie", "session=abc");

    AdminForwarding.apply(h, ip("2001:db8:0:0:0:0:0:1"), KEY);

    assertThat(h.getAll("Forwarded")).containsExactly("for=\"[2001:db8::1]\"");
    assertThat(h.getAll("X-Schoolgate-Proxy-Key")).containsExactly(KEY);
    assertThat(h.contains("X-Forwarded-For")).isFalse();
    assertThat(h.contains("X-Forwarded-Proto")).isFalse();
    assertThat(h.contains("X-Forwarded-Host")).isFalse();
    assertThat(h.contains("X-Real-IP")).isFalse();
    assertThat(h.get("Cookie")).isEqualTo("session=abc");
    AdminForwarding.apply(h, ip("10.10.3.4"), KEY);
    assertThat(h.getAll("Forwarded")).containsExactly("for=\"10.10.3.4\"");
  }

  @Test
  void settingsSayWhatIsWrong() {
    assertThatThrownBy(() -> new DestinationSettings(URI.create("ftp://x.test"), KEY,
        Duration.ofSeconds(10))).hasMessage("proxy.destinations.adminOrigin: 'ftp://x.test'"
            + " (expected: the admin API's public http(s) URL, e.g. http://filter.school.example:8080)");
    assertThatThrownBy(() -> new DestinationSettings(URI.create("http://x.test"), "short",
        Duration.ofSeconds(10))).hasMessage("proxy.destinations.proxyKey: 5 characters (expected:"
            + " at least 32 random bytes in base64url, 43 characters or more; deploy generates one"
            + " at start)");
    assertThatThrownBy(() -> new DestinationSettings(null, null, Duration.ZERO))
        .hasMessage("proxy.destinations.refresh: PT0S (expected: between 100 ms and 1 hour)");
    assertThat(new DestinationSettings(URI.create("https://x.test"), KEY, Duration.ofSeconds(1))
        .adminPort()).isEqualTo(443);
  }
}
