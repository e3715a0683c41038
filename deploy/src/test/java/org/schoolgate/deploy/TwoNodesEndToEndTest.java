package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.testing.Eventually;
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
 * is reloaded by both; one pupil's blocked attempts split over the two nodes raise one
 * repeated-attempts alert, delivered once; the audit trail is one chain whose records name the node that wrote them.
 */
class TwoNodesEndToEndTest extends TwoNodesOnPostgresql {
  @Test
  void twoNodesOnOnePostgresqlShareUnblocksBindingsAlertsAndOneAuditChain() throws Exception {
    startNodes();
    Actor setup = new Actor(null, "test-setup", null);
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
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(hookKeys()).containsExactlyInAnyOrder(
        "only-on-a", "only-on-b", "on-both"));
    a.store().alerts().raise(alert("marker"), system); // once it is in, every earlier round has passed
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(hookKeys()).contains("marker"));
    assertThat(hookKeys()).containsExactlyInAnyOrder("only-on-a", "only-on-b", "on-both", "marker");

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

    // one pupil's blocked attempts split over the nodes reach the threshold together (gambling: 5
    // in 10 minutes; the first was on B above, then 3 on A and 1 more on B, each a new visit):
    // one repeated-attempts alert, delivered once
    for (String host : List.of("www.williamhill.com", "www.paddypower.com", "www.betfair.com", "www.skybet.com")) {
      clock.advance(Duration.ofSeconds(40));
      SchoolgateClient node = host.equals("www.paddypower.com") ? onB : onA;
      assertThat(node.fetch(PUPIL, "http://" + host + ":" + origin.port() + "/")).startsWith("HTTP/1.1 403");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(hookKeys()).filteredOn(k -> k.startsWith("repeated:"))
        .hasSize(1));
    for (SchoolgateClient node : List.of(onA, onB)) { // both nodes' windows are spent
      clock.advance(Duration.ofSeconds(40));
      assertThat(node.fetch(PUPIL, "http://www.ladbrokes.com:" + origin.port() + "/")).startsWith("HTTP/1.1 403");
    }
    b.store().alerts().raise(alert("marker-2"), system);
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(hookKeys()).contains("marker-2"));
    assertThat(hookKeys()).filteredOn(k -> k.startsWith("repeated:")).hasSize(1);

    // reports on either node read both nodes' access logs (reports.node-logs): B's total is every
    // blocked line of both logs, and A's top blocked sites include one only B was asked for
    String technicianOnB = onB.login("tech.tom", "staple battery horse");
    String day = "from=2026-11-23&to=2026-11-23";
    Eventually.within(Duration.ofSeconds(30), () -> {
      long logged = blockedLines("node-a") + blockedLines("node-b");
      assertThat(blockedLines("node-a")).isPositive();
      assertThat(blockedLines("node-b")).isPositive();
      assertThat(onB.call("GET", "/api/v1/reports/blocked?" + day, technicianOnB, null, 200).get("total").asLong())
          .isEqualTo(logged);
    });
    assertThat(onA.call("GET", "/api/v1/reports/top-blocked?" + day + "&limit=100", technician, null, 200)
        .toString()).contains("www.paddypower.com").contains("www.williamhill.com");

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

  /** The requests (not DNS lines) {@code node} logged as blocked. */
  private long blockedLines(String node) throws java.io.IOException {
    Path file = dir.resolve("node-logs").resolve(node)
        .resolve(org.schoolgate.policy.accesslog.AccessLogFiles.jsonLines(java.time.LocalDate.of(2026, 11, 23)));
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file)) {
      return lines.filter(l -> l.contains("\"action\":\"block\"") && !l.contains("\"event\":")).count();
    }
  }


  private static NewAlert alert(String key) {
    return new NewAlert(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS, "test alert " + key,
        "raised by the two-node test", null, null, key);
  }

}
