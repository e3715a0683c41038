package org.schoolgate.admin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.sample.SamplePolicy;

/** The client address of one request, from its peer and headers, for every way it can arrive. */
class ClientAddressesTest {
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private ClientAddresses clients;

  @BeforeEach
  void start() throws Exception {
    AdminMetrics metrics = new AdminMetrics(registry, PolicyHolder.load(SamplePolicy.extractTo(dir), Clock.systemUTC()));
    clients = new ClientAddresses(new ForwardingTrust(KEY, List.of(Subnet.parse("10.0.0.5"),
        Subnet.parse("10.0.1.0/28"))), metrics);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "for=192.0.2.7|192.0.2.7",
      "for=\"192.0.2.7:4711\"|192.0.2.7",
      "for=\"[2001:db8::1]\"|2001:db8:0:0:0:0:0:1",
      "for=\"[2001:db8::1]:4711\";proto=http|2001:db8:0:0:0:0:0:1",
      "For=198.51.100.1, for=192.0.2.7|192.0.2.7",
      "for=unknown|127.0.0.1",
      "for=\"_hidden\"|127.0.0.1",
      "for=localhost|127.0.0.1",
  })
  void theSchoolgateProxyWithItsKeyNamesTheClientInItsLastForwardedElement(String forwarded, String expected) {
    assertThat(clients.resolve("127.0.0.1", KEY, List.of(forwarded), List.of(), true)).isEqualTo(expected);
  }

  @Test
  void aTrustedReverseProxysChainIsWalkedFromTheNearestHopToTheFirstUntrustedOne() {
    assertThat(clients.resolve("10.0.0.5", null, List.of(), List.of("6.6.6.6, 198.51.100.7, 10.0.1.3"), true))
        .isEqualTo("198.51.100.7");
    assertThat(clients.resolve("10.0.0.5", null, List.of("for=6.6.6.6, for=\"[2001:db8::2]\""), List.of("7.7.7.7"),
        true)).as("Forwarded wins over X-Forwarded-For").isEqualTo("2001:db8:0:0:0:0:0:2");
    assertThat(clients.resolve("10.0.0.5", null, List.of(), List.of(), false)).as("no header: the proxy itself")
        .isEqualTo("10.0.0.5");
  }

  @Test
  void everyoneElsesForwardingHeadersAndWrongKeysAreIgnoredAndCounted() {
    assertThat(clients.resolve("192.0.2.50", null, List.of("for=10.9.9.9"), List.of(), true)).isEqualTo("192.0.2.50");
    assertThat(clients.resolve("192.0.2.50", null, List.of(), List.of("10.9.9.9"), true)).isEqualTo("192.0.2.50");
    assertThat(clients.resolve("192.0.2.50", "bm90LXRoZS1rZXk", List.of("for=10.9.9.9"), List.of(), true))
        .isEqualTo("192.0.2.50");
    assertThat(clients.resolve("10.0.0.5", null, List.of(), List.of("not an address"), true)).isEqualTo("10.0.0.5");

    assertThat(count("untrusted-peer")).isEqualTo(2);
    assertThat(count("wrong-proxy-key")).isEqualTo(1);
    assertThat(count("malformed")).isEqualTo(1);
  }

  @Test
  void aKeyThatIsNotLongRandomBase64UrlIsRefusedAtStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ForwardingTrust("short", List.of()))
        .hasMessage("the admin proxy key is 5 characters of base64url (expected: at least 32 random bytes in"
            + " base64url, 43+ characters, as deploy generates at start)");
  }

  private double count(String reason) {
    return registry.get("schoolgate.admin.forwarding.ignored").tag("reason", reason).counter().count();
  }
}
