package org.schoolgate.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.identity.IdentityCache;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * {@link RequestDecider}, the one place a request is decided, as a table: who asks (a pupil, a
 * staff member, an address outside the school), what (absolute-form HTTP, CONNECT, forms a
 * forward proxy refuses), and what comes out — the verdict's kind, the action and rule, the
 * safe host SafeSearch connects to instead, and the search term.
 */
class RequestDeciderTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");
  @TempDir static Path dir;
  static PolicyHolder holder;

  @BeforeAll
  static void load() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        timezone: Europe/London
        clients:
          allow: [10.0.0.0/8]
        groups:
          pupils: { subnets: [10.10.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
        categories:
          gambling: { domains: [betting.test] }
        matrix:
          gambling: { default: unacceptable, staff: acceptable }
        default: acceptable
        safesearch:
          search: { default: enforce, staff: off }
        tunnels:
          allowed-ports: [443, 8443]
          ip-literal: { default: block, staff: allow }
        """);
    holder = PolicyHolder.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Verdict decide(Supplier<PolicySnapshot> policy, String client, String method,
      String uri) throws Exception {
    RequestDecider decider = new RequestDecider(policy, new ProxyMetrics(new SimpleMeterRegistry()));
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
    return decider.decide(request, new IdentityCache(), InetAddress.getByName(client), NOW);
  }

  @ParameterizedTest(name = "{0} {1} {2} → {3} {4} {5}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      10.10.0.5 | GET     | http://betting.test/odds         | decided   | block | matrix:gambling/pupils | -                          | -
      10.30.0.5 | GET     | http://betting.test/odds         | decided   | allow | matrix:gambling/staff  | -                          | -
      10.10.0.5 | GET     | http://school.test/              | decided   | allow | default                | -                          | -
      10.10.0.5 | GET     | http://www.google.com/search?q=volcanoes | decided | allow | default         | forcesafesearch.google.com | volcanoes
      10.30.0.5 | GET     | http://www.google.com/search?q=volcanoes | decided | allow | default         | -                          | volcanoes
      10.10.0.5 | CONNECT | www.google.com:443               | decided   | allow | default                | forcesafesearch.google.com | -
      10.10.0.5 | CONNECT | school.test:25                   | decided   | block | tunnel-port            | -                          | -
      10.10.0.5 | CONNECT | 192.0.2.7:443                    | decided   | block | ip-literal             | -                          | -
      10.30.0.5 | CONNECT | 192.0.2.7:443                    | decided   | allow | default                | -                          | -
      10.10.0.5 | CONNECT | betting.test:443                 | decided   | block | matrix:gambling/pupils | -                          | -
      192.0.2.9 | GET     | http://school.test/              | refused   | -     | -                      | -                          | -
      10.10.0.5 | GET     | /relative/path                   | badtarget | -     | -                      | -                          | -
      10.10.0.5 | GET     | ftp://school.test/file           | badtarget | -     | -                      | -                          | -
      10.10.0.5 | CONNECT | school.test                      | badtarget | -     | -                      | -                          | -
      """)
  void decides(String client, String method, String uri, String kind, String action, String rule,
      String safeHost, String search) throws Exception {
    Verdict v = decide(holder::current, client, method, uri);

    switch (kind) {
      case "decided" -> {
        assertThat(v).isInstanceOf(Verdict.Decided.class);
        Verdict.Decided d = (Verdict.Decided) v;
        assertThat(d.decision().action().logName()).isEqualTo(action);
        assertThat(d.decision().ruleText()).isEqualTo(rule);
        assertThat(d.safeHost()).isEqualTo(safeHost);
        assertThat(d.search()).isEqualTo(search);
      }
      case "refused" -> assertThat(v).isInstanceOf(Verdict.Refused.class);
      default -> assertThat(v).isInstanceOf(Verdict.BadTarget.class);
    }
  }

  @Test
  void withoutAPolicyEveryRequestIsBlockedFailClosed() throws Exception {
    Verdict v = decide(() -> null, "10.30.0.5", "GET", "http://school.test/");

    assertThat(v).isInstanceOfSatisfying(Verdict.Decided.class, d -> {
      assertThat(d.decision().blocked()).isTrue();
      assertThat(d.decision().ruleText()).isEqualTo("fail-closed");
    });
  }

  @Test
  void anExceptionWhileDecidingBlocksFailClosed() throws Exception {
    Verdict v = decide(() -> {
      throw new IllegalStateException("broken");
    }, "10.30.0.5", "CONNECT", "school.test:443");

    assertThat(v).isInstanceOfSatisfying(Verdict.Decided.class,
        d -> assertThat(d.decision().ruleText()).isEqualTo("fail-closed"));
  }
}
