package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;

/**
 * Two Schoolgate nodes, each with its own proxy, admin API, access log and data directory, sharing
 * one (embedded) PostgreSQL, each configured from its own YAML file: an unblock approved on node A
 * is in force on node B; a user a logon script binds on A is known on B; alerts raised on both
 * nodes (and one raised on both) reach the webhook once each; the shared policy file, saved once,
 * is reloaded by both; the audit trail is one chain whose records name the node that wrote them.
 */
class TwoNodesEndToEndTest {
  private static final String SITE = "www.bet365.com";
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);
  private EmbeddedPostgres postgres;
  private WireMockServer origin;
  private WireMockServer hook;
  private Schoolgate a;
  private Schoolgate b;

  @AfterEach
  void stop() throws Exception {
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

  @Test
  void twoNodesOnOnePostgresqlShareUnblocksBindingsAlertsAndOneAuditChain() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/odds")).willReturn(aResponse().withStatus(200).withBody("the odds page")));
    hook = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    hook.start();
    hook.stubFor(post(urlEqualTo("/alerts")).willReturn(aResponse().withStatus(200)));
    a = Schoolgate.start(config("node-a"), clock);
    b = Schoolgate.start(config("node-b"), clock);
    Actor setup = new Actor(null, "test-setup", null);
    a.store().accounts().create("mrs.jones", "Mrs Jones", "correct horse battery".toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    a.store().accounts().create("tech.tom", "Tom (IT)", "staple battery horse".toCharArray(),
        EnumSet.of(Role.TECHNICIAN), setup);
    a.store().accounts().create("logon-script", "Logon script", "a-long-script-password".toCharArray(),
        EnumSet.of(Role.IDENTITY_SOURCE), setup);
    SchoolgateClient onA = new SchoolgateClient(a);
    SchoolgateClient onB = new SchoolgateClient(b);
    String url = "http://" + SITE + ":" + origin.port() + "/odds";
    assertThat(onB.fetch(PUPIL, url)).startsWith("HTTP/1.1 403");

    // an unblock requested and approved on A is in force on B
    String teacher = onA.login("mrs.jones", "correct horse battery");
    String technician = onA.login("tech.tom", "staple battery horse");
    long id = onA.call("POST", "/api/v1/unblocks", teacher, Map.of("target", Map.of("type", "domain", "value", SITE),
        "groups", List.of("ks3-4"), "durationMinutes", 60, "reason", "probability lesson"), 201).get("id").asLong();
    onA.call("POST", "/api/v1/unblocks/" + id + "/approve", technician, Map.of("note", "one lesson"), 200);
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(onB.fetch(PUPIL, url)).startsWith("HTTP/1.1 200"));

    // a user bound on A (logon script) is known on B; accounts are shared too (signed in on B)
    String script = onB.login("logon-script", "a-long-script-password");
    onA.call("POST", "/api/v1/identity/sessions", onA.login("logon-script", "a-long-script-password"),
        Map.of("user", "SCHOOL\\Bob", "address", "10.0.0.6", "minutes", 600), 201);
    assertThat(script).isNotBlank();
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(b.bindings()
        .find(InetAddress.getByName("10.0.0.6"), clock.instant())).isNotNull()
        .satisfies(binding -> assertThat(binding.user()).isEqualTo("bob")));

    // alerts raised on either node, and one raised on both, are each delivered once
    Actor system = Actor.system("test");
    a.store().alerts().raise(alert("only-on-a"), system);
    b.store().alerts().raise(alert("only-on-b"), system);
    Alert first = a.store().alerts().raise(alert("on-both"), system);
    Alert second = b.store().alerts().raise(alert("on-both"), system);
    assertThat(second.id()).isEqualTo(first.id());
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(keys()).containsExactlyInAnyOrder(
        "only-on-a", "only-on-b", "on-both"));
    a.store().alerts().raise(alert("marker"), system); // once it is in, every earlier round has passed
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(keys()).contains("marker"));
    assertThat(keys()).containsExactlyInAnyOrder("only-on-a", "only-on-b", "on-both", "marker");

    // the shared policy saved once is in force on both nodes
    String later = "http://newly-blocked.schoolgate.test:" + origin.port() + "/odds";
    assertThat(onB.fetch(PUPIL, later)).startsWith("HTTP/1.1 200");
    Path policy = dir.resolve("policy-share/policy.yaml");
    Files.writeString(policy, Files.readString(policy).replace("files: [lists/school/blocked.txt]",
        "files: [lists/school/blocked.txt]\n    domains: [newly-blocked.schoolgate.test]"));
    Eventually.within(Duration.ofSeconds(30), () -> {
      assertThat(onB.fetch(PUPIL, later)).startsWith("HTTP/1.1 403");
      assertThat(onA.fetch(PUPIL, later)).startsWith("HTTP/1.1 403");
    });

    // one audit chain, each record naming its node
    List<AuditRecord> records = b.store().audit().query(AuditTrail.Query.all());
    assertThat(records).extracting(AuditRecord::node).contains("node-a", "node-b").doesNotContainNull();
    assertThat(records).filteredOn(r -> r.type().equals("unblock.approved")).singleElement()
        .satisfies(r -> assertThat(r.node()).isEqualTo("node-a"));
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(b.store().audit().query(AuditTrail.Query.all()))
        .filteredOn(r -> r.type().equals("policy.reloaded") && r.actor().equals("system:policy-sync"))
        .extracting(AuditRecord::node).containsExactlyInAnyOrder("node-a", "node-b"));
    assertThat(b.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
    JsonNode verified = onB.call("GET", "/api/v1/audit/verify", onB.login("tech.tom", "staple battery horse"),
        null, 200);
    assertThat(verified.get("valid").asBoolean()).isTrue();
  }

  private List<String> keys() {
    return hook.findAll(postRequestedFor(urlEqualTo("/alerts"))).stream()
        .map((LoggedRequest r) -> r.getHeader("Idempotency-Key")).toList();
  }

  private static NewAlert alert(String key) {
    return new NewAlert(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS, "test alert " + key,
        "raised by the two-node test", null, null, key);
  }

  private RuntimeConfig config(String node) throws Exception {
    Path home = Files.createDirectories(dir.resolve(node));
    Path shared = dir.resolve("policy-share"); // the policy directory both nodes read (an NFS export, say)
    if (!Files.exists(shared.resolve("policy.yaml"))) {
      SamplePolicy.extractTo(Files.createDirectories(shared));
    }
    Path file = home.resolve("schoolgate.yaml");
    Files.writeString(file, """
        policy: ../policy-share/policy.yaml
        access-log:
          dir: logs
        dns:
          static:
            %s: 127.0.0.1
            newly-blocked.schoolgate.test: 127.0.0.1
        database:
          url: %s
          user: postgres
          node: %s
        alerts:
          webhooks:
            - { name: hook, format: generic, url: "http://127.0.0.1:%d/alerts" }
          routes:
            - { match: { audience: technicians }, to: [webhook:hook] }
          group-window: 0s
        identity:
          strip-realms: [SCHOOL]
          sessions:
            reporters: [127.0.0.0/8]
          sync-every: 200ms
        """.formatted(SITE, postgres.getJdbcUrl("postgres", "postgres"), node, hook.port()));
    return RuntimeConfigLoader.load(file).withProxyPort(0).withAdminPort(0);
  }
}
