package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * What the tests of several nodes share: one embedded PostgreSQL, an origin serving {@code /odds},
 * a webhook receiving every alert, and nodes A and B (configured by {@link NodeConfigs}) on one fake
 * clock, with a teacher and a technician account; all stopped after each test, also when it fails.
 */
abstract class TwoNodesOnPostgresql {
  static final String SITE = "www.bet365.com";
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  static final String PUPIL = "127.0.0.1";

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(START);
  EmbeddedPostgres postgres;
  WireMockServer origin;
  WireMockServer hook;
  Schoolgate a;
  Schoolgate b;

  /** A node's configuration by its name ({@code node-a}, {@code node-b}), once the database is up. */
  interface Configs {
    RuntimeConfig of(String node) throws Exception;
  }

  /** Starts the database, the origin, the webhook and both nodes, and makes the two staff accounts. */
  void startNodes() throws Exception {
    startNodes(this::config);
  }

  /** As {@link #startNodes()}, each node configured by {@code configs}. */
  void startNodes(Configs configs) throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/odds")).willReturn(aResponse().withStatus(200).withBody("the odds page")));
    hook = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    hook.start();
    hook.stubFor(post(urlEqualTo("/alerts")).willReturn(aResponse().withStatus(200)));
    a = Schoolgate.start(configs.of("node-a"), clock);
    b = Schoolgate.start(configs.of("node-b"), clock);
    Actor setup = new Actor(null, "test-setup", null);
    a.store().accounts().create("mrs.jones", "Mrs Jones", "correct horse battery".toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    a.store().accounts().create("tech.tom", "Tom (IT)", "staple battery horse".toCharArray(),
        EnumSet.of(Role.TECHNICIAN), setup);
  }

  RuntimeConfig config(String node) throws Exception {
    return NodeConfigs.node(dir, node, postgres.getJdbcUrl("postgres", "postgres"), hook.port(), SITE);
  }

  /** The idempotency keys of every alert the webhook received, in order. */
  List<String> hookKeys() {
    return hook.findAll(postRequestedFor(urlEqualTo("/alerts"))).stream()
        .map((LoggedRequest r) -> r.getHeader("Idempotency-Key")).toList();
  }

  @AfterEach
  void stopNodes() throws Exception {
    try {
      if (a != null) {
        a.close();
      }
    } finally {
      try {
        if (b != null) {
          b.close();
        }
      } finally {
        if (origin != null) {
          origin.stop();
        }
        if (hook != null) {
          hook.stop();
        }
        if (postgres != null) {
          postgres.close();
        }
      }
    }
  }
}
