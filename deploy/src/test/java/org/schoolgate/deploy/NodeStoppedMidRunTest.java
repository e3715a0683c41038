package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewAlert;

/**
 * Node A of two is stopped while a pupil's traffic and a teacher's unblock request are under way:
 * node B keeps filtering, the unblock requested on A is approved on B and in force there, the
 * pupil's attempts before and after the stop still reach the threshold together, and the policy
 * changes meanwhile. A restarts — with its alert checkpoint set back to before the run, as if it
 * had crashed before writing it — and catches up: the unblock and the new policy are in force on
 * it, the replayed events raise nothing twice, and the audit trail is one intact chain.
 */
class NodeStoppedMidRunTest extends TwoNodesOnPostgresql {
  @Test
  void nodeBCarriesOnWhileAIsDownAndARestartsWithNothingLostOrDoubled() throws Exception {
    startNodes();
    SchoolgateClient onA = new SchoolgateClient(a);
    SchoolgateClient onB = new SchoolgateClient(b);
    String url = "http://" + SITE + ":" + origin.port() + "/odds";

    // the pupil's traffic through A: an illegal attempt (alerted at once) and two gambling attempts
    assertThat(onA.fetch(PUPIL, "http://extreme-pornography.schoolgate.test:" + origin.port() + "/"))
        .startsWith("HTTP/1.1 403");
    for (String host : List.of("www.williamhill.com", "www.paddypower.com")) {
      clock.advance(Duration.ofSeconds(40));
      assertThat(onA.fetch(PUPIL, "http://" + host + ":" + origin.port() + "/")).startsWith("HTTP/1.1 403");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(keys("illegal:")).hasSize(1));
    // a teacher asks A for an unblock; then A stops
    String teacher = onA.login("mrs.jones", "correct horse battery");
    long id = onA.call("POST", "/api/v1/unblocks", teacher, Map.of("target", Map.of("type", "domain", "value", SITE),
        "groups", List.of("ks3-4"), "durationMinutes", 60, "reason", "probability lesson"), 201).get("id").asLong();
    a.close();
    a = null;

    // B carries on: still filtering, the unblock approved on B is in force on B, and the pupil's
    // attempts on B add up with those A counted before it stopped (5 in 10 minutes)
    assertThat(onB.fetch(PUPIL, url)).startsWith("HTTP/1.1 403");
    onB.call("POST", "/api/v1/unblocks/" + id + "/approve", onB.login("tech.tom", "staple battery horse"),
        Map.of("note", "one lesson"), 200);
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(onB.fetch(PUPIL, url)).startsWith("HTTP/1.1 200"));
    for (String host : List.of("www.betfair.com", "www.skybet.com", "www.ladbrokes.com")) {
      clock.advance(Duration.ofSeconds(40));
      assertThat(onB.fetch(PUPIL, "http://" + host + ":" + origin.port() + "/")).startsWith("HTTP/1.1 403");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(keys("repeated:")).hasSize(1));
    // and the shared policy changes while A is down
    String later = "http://newly-blocked.schoolgate.test:" + origin.port() + "/odds";
    Path policy = dir.resolve("policy-share/policy.yaml");
    Files.writeString(policy, Files.readString(policy).replace("files: [lists/school/blocked.txt]",
        "files: [lists/school/blocked.txt]\n    domains: [newly-blocked.schoolgate.test]"));
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(onB.fetch(PUPIL, later)).startsWith("HTTP/1.1 403"));

    // A restarts, its alert checkpoint set back to before the run (a crash before it was written):
    // the replay evaluates the run's events again
    Files.writeString(dir.resolve("node-logs/node-a/alerts.checkpoint"), START.minusSeconds(1) + " 0");
    a = Schoolgate.start(config("node-a"), clock);
    SchoolgateClient onA2 = new SchoolgateClient(a);
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(onA2.fetch(PUPIL, url)).startsWith("HTTP/1.1 200"));
    assertThat(onA2.fetch(PUPIL, later)).startsWith("HTTP/1.1 403");
    b.store().alerts().raise(new NewAlert(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS,
        "marker", "after the restart", null, null, "marker"), Actor.system("test"));
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(keys("marker")).hasSize(1));
    // the replay raised the illegal attempt's alert again on A (the outbox kept one, delivered once)
    java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + a.admin().port() + "/metrics"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body().lines().filter(l -> l.startsWith("schoolgate_alerts_raised_total{")
        && l.contains("kind=\"illegal-category\"")).toList()).singleElement().satisfies(l -> assertThat(l).endsWith(" 1.0"));
    assertThat(keys("illegal:")).as("replayed, not delivered again").hasSize(1);
    assertThat(keys("repeated:")).hasSize(1);

    // one intact chain: the request on A, the approval on B
    List<AuditRecord> records = a.store().audit().query(AuditTrail.Query.all());
    assertThat(records).filteredOn(r -> r.type().equals("unblock.approved")).singleElement()
        .satisfies(r -> assertThat(r.node()).isEqualTo("node-b"));
    assertThat(records).filteredOn(r -> r.type().equals("unblock.requested")).singleElement()
        .satisfies(r -> assertThat(r.node()).isEqualTo("node-a"));
    assertThat(a.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  private List<String> keys(String prefix) {
    return hookKeys().stream().filter(k -> k.startsWith(prefix)).toList();
  }

}
