package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;

class AlertStoreTest {
  private static final Instant START = TestDatabase.START;
  private static final Actor SYSTEM = Actor.system("test");
  private static final Actor DSL = new Actor(null, "mrs.dsl", "10.1.0.9");
  private static final Actor HEAD = new Actor(null, "head.teacher", "10.1.0.2");

  @DatabaseTest
  void raiseStoresTheAlertAndAuditsItAsRaised(TestDatabase db) {
    NewAlert alert = alert("k1", Alert.Audience.DSL);

    Alert raised = db.store().alerts().raise(alert, SYSTEM);

    assertThat(raised.content()).isEqualTo(alert);
    assertThat(raised.raisedAt()).isEqualTo(START);
    assertThat(raised.acknowledged()).isFalse();
    assertThat(db.store().alerts().get(raised.id())).contains(raised);
    AuditRecord audit = only(db, "alert.raised");
    assertThat(audit.target()).isEqualTo("alert:" + raised.id());
    assertThat(audit.actor()).isEqualTo("system:test");
    assertThat(audit.reason()).isEqualTo("Something to look at k1");
    assertThat(audit.after()).contains("\"severity\":\"critical\"", "\"kind\":\"test-alert\"",
        "\"audience\":\"dsl\"", "\"idempotencyKey\":\"k1\"", "\"link\":\"unblock:1\"");
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void raisingTheSameKeyAgainReturnsTheFirstAlertAndWritesNothing(TestDatabase db) throws Exception {
    Alert first = db.store().alerts().raise(alert("same-key", Alert.Audience.DSL), SYSTEM);
    db.clock().advance(Duration.ofMinutes(1));

    NewAlert retry = new NewAlert(Alert.Severity.INFO, "other-kind", Alert.Audience.TECHNICIANS, "a retry",
        "", "", null, "same-key");
    Alert second = db.store().alerts().raise(retry, SYSTEM);

    assertThat(second).isEqualTo(first);
    assertThat(types(db)).containsExactly("alert.raised");
    try (Connection c = db.raw(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alerts")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }

  @DatabaseTest
  void twoNodesRaisingTheSameKeyAtOnceStoreOneAlert(TestDatabase db) throws Exception {
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      for (int round = 0; round < 10; round++) {
        NewAlert alert = alert("race-" + round, Alert.Audience.DSL);

        List<AlertId> ids = Concurrently.run(2, i -> (i == 0 ? db.store() : otherNode).alerts().raise(alert, SYSTEM)
            .id());

        assertThat(ids.get(0)).as("round " + round).isEqualTo(ids.get(1));
      }
      assertThat(types(db)).hasSize(10);
      assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
    }
  }

  @DatabaseTest
  void listFiltersByAudienceAndOpenAlertsNewestFirstUpToTheLimit(TestDatabase db) {
    AlertStore alerts = db.store().alerts();
    Alert a = alerts.raise(alert("a", Alert.Audience.DSL), SYSTEM);
    Alert b = alerts.raise(alert("b", Alert.Audience.TECHNICIANS), SYSTEM);
    Alert c = alerts.raise(alert("c", Alert.Audience.DSL), SYSTEM);
    Alert d = alerts.raise(alert("d", Alert.Audience.DSL), SYSTEM);
    alerts.acknowledge(c.id(), DSL);

    assertThat(ids(alerts.list(new AlertStore.Query(null, false, 1000)))).containsExactly(d.id(), c.id(), b.id(),
        a.id());
    assertThat(ids(alerts.list(new AlertStore.Query(Alert.Audience.DSL, false, 1000)))).containsExactly(d.id(),
        c.id(), a.id());
    assertThat(ids(alerts.list(new AlertStore.Query(Alert.Audience.DSL, true, 1000)))).containsExactly(d.id(),
        a.id());
    assertThat(ids(alerts.list(new AlertStore.Query(Alert.Audience.TECHNICIANS, true, 1000))))
        .containsExactly(b.id());
    assertThat(ids(alerts.list(new AlertStore.Query(null, true, 2)))).containsExactly(d.id(), b.id());
    assertThatThrownBy(() -> alerts.list(new AlertStore.Query(null, false, 0)))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.field()).isEqualTo("limit");
          assertThat(e.getMessage()).isEqualTo("limit 0 is out of range (use 1-1000)");
        });
  }

  @DatabaseTest
  void acknowledgeRecordsWhoAndWhenAndIsAuditedWithBeforeAndAfter(TestDatabase db) {
    Alert raised = db.store().alerts().raise(alert("ack", Alert.Audience.DSL), SYSTEM);
    db.clock().advance(Duration.ofMinutes(7));

    Alert acknowledged = db.store().alerts().acknowledge(raised.id(), DSL);

    assertThat(acknowledged.acknowledgedBy()).isEqualTo("mrs.dsl");
    assertThat(acknowledged.acknowledgedAt()).isEqualTo(START.plus(Duration.ofMinutes(7)));
    assertThat(acknowledged.content()).isEqualTo(raised.content());
    assertThat(db.store().alerts().get(raised.id())).contains(acknowledged);
    AuditRecord audit = only(db, "alert.acknowledged");
    assertThat(audit.actor()).isEqualTo("mrs.dsl");
    assertThat(audit.address()).isEqualTo("10.1.0.9");
    assertThat(audit.target()).isEqualTo("alert:" + raised.id());
    assertThat(audit.before()).doesNotContain("acknowledgedBy");
    assertThat(audit.after()).contains("\"acknowledgedBy\":\"mrs.dsl\"",
        "\"acknowledgedAt\":\"2026-03-02T08:07:00Z\"");
  }

  @DatabaseTest
  void acknowledgingTwiceIsAConflictNamingWhoDidItFirst(TestDatabase db) {
    Alert raised = db.store().alerts().raise(alert("twice", Alert.Audience.DSL), SYSTEM);
    db.store().alerts().acknowledge(raised.id(), DSL);

    assertThatThrownBy(() -> db.store().alerts().acknowledge(raised.id(), HEAD))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("conflict");
          assertThat(e.getMessage()).isEqualTo("alert " + raised.id()
              + " was already acknowledged by mrs.dsl at 2026-03-02T08:00:00Z");
        });
    assertThat(db.store().alerts().get(raised.id()).orElseThrow().acknowledgedBy()).isEqualTo("mrs.dsl");
    assertThat(types(db).stream().filter("alert.acknowledged"::equals)).hasSize(1);
  }

  @DatabaseTest
  void acknowledgingAMissingAlertIsNotFound(TestDatabase db) {
    assertThatThrownBy(() -> db.store().alerts().acknowledge(new AlertId(4242), DSL))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("not_found");
          assertThat(e.getMessage()).isEqualTo("alert 4242 does not exist");
        });
    assertThat(db.store().alerts().get(new AlertId(4242))).isEmpty();
  }

  @DatabaseTest
  void approvingAFilterBypassRaisesExactlyOneDslAlertSayingWhoForWhomUntilWhenAndWhy(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord pending = unblocks.request(bypass(), Unblocks.TECHNICIAN);
    db.clock().advance(Duration.ofMinutes(2));

    UnblockRecord approved = unblocks.approve(pending.id(), HEAD, "agreed with the DSL");

    List<Alert> alerts = db.store().alerts().list(new AlertStore.Query(null, false, 1000));
    assertThat(alerts).hasSize(1);
    Alert alert = alerts.get(0);
    NewAlert c = alert.content();
    assertThat(c.kind()).isEqualTo("filter-bypass");
    assertThat(c.severity()).isEqualTo(Alert.Severity.WARNING);
    assertThat(c.audience()).isEqualTo(Alert.Audience.DSL);
    assertThat(c.link()).isEqualTo("unblock:" + pending.id());
    assertThat(c.idempotencyKey()).isEqualTo("filter-bypass:unblock:" + pending.id());
    assertThat(c.who()).isEqualTo("groups staff; users j.smith; subnets 10.20.4.0/24");
    assertThat(c.subject()).isEqualTo("Filter bypass " + pending.id() + " approved by head.teacher for groups staff;"
        + " users j.smith; subnets 10.20.4.0/24 until 2026-03-02T09:00:00Z (asked by tech.tom)");
    JsonNode details = Json.parse(c.details());
    assertThat(details.get("approvedBy").asText()).isEqualTo("head.teacher");
    assertThat(details.get("approvedAt").asText()).isEqualTo("2026-03-02T08:02:00Z");
    assertThat(details.get("note").asText()).isEqualTo("agreed with the DSL");
    assertThat(details.get("from").asText()).isEqualTo("2026-03-02T08:00:00Z");
    assertThat(details.get("until").asText()).isEqualTo("2026-03-02T09:00:00Z");
    assertThat(details.get("requestedBy").asText()).isEqualTo("tech.tom");
    assertThat(details.get("reason").asText()).isEqualTo("exam software update needs open access");
    assertThat(details.get("unblock").asLong()).isEqualTo(approved.id().value());
    assertThat(alert.raisedAt()).isEqualTo(approved.decidedAt());
    // the approval, then its alert, next to each other in the chain and both by the approver
    List<AuditRecord> audit = db.store().audit().query(AuditTrail.Query.all());
    assertThat(audit).extracting(AuditRecord::type)
        .containsExactly("unblock.requested", "bypass.approved", "alert.raised");
    assertThat(audit.get(2).actor()).isEqualTo("head.teacher");
    assertThat(audit.get(2).target()).isEqualTo("alert:" + alert.id());
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void approvingAnOrdinaryUnblockRaisesNoAlert(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord pending = unblocks.request(Unblocks.domain("a.com", START, Duration.ofHours(1)),
        Unblocks.TEACHER);
    UnblockRecord denied = unblocks.request(bypass(), Unblocks.TECHNICIAN);

    unblocks.approve(pending.id(), Unblocks.TECHNICIAN, "fine");
    unblocks.deny(denied.id(), HEAD, "not today");

    assertThat(db.store().alerts().list(new AlertStore.Query(null, false, 1000))).isEmpty();
    assertThat(types(db)).doesNotContain("alert.raised");
  }

  @DatabaseTest
  void aBypassApprovalWhoseAlertCannotBeWrittenIsRolledBackWhole(TestDatabase db) throws Exception {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord pending = unblocks.request(bypass(), Unblocks.TECHNICIAN);
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      // CASCADE on PostgreSQL: alert_deliveries (V3) references alerts
      s.executeUpdate("DROP TABLE alerts" + (db.vendor() == TestDatabase.Vendor.POSTGRESQL ? " CASCADE" : ""));
    }

    assertThatThrownBy(() -> unblocks.approve(pending.id(), HEAD, "ok"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("recording unblock " + pending.id() + " approve");

    assertThat(unblocks.get(pending.id()).orElseThrow().status()).isEqualTo(UnblockStatus.PENDING);
    assertThat(unblocks.inForce(START)).isEmpty();
    assertThat(types(db)).containsExactly("unblock.requested");
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  private static NewUnblock bypass() {
    return new NewUnblock(new UnblockTarget.Everything(),
        new UnblockScope(Set.of(new GroupId("staff")), Set.of("j.smith"), List.of("10.20.4.0/24")), START,
        START.plus(Duration.ofHours(1)), "exam software update needs open access", false, "");
  }

  private static NewAlert alert(String key, Alert.Audience audience) {
    return new NewAlert(Alert.Severity.CRITICAL, "test-alert", audience, "Something to look at " + key,
        "{\"n\":1}", "user pupil1", "unblock:1", key);
  }

  private static List<AlertId> ids(List<Alert> alerts) {
    return alerts.stream().map(Alert::id).collect(Collectors.toList());
  }

  private static AuditRecord only(TestDatabase db, String type) {
    List<AuditRecord> matching = db.store().audit().query(AuditTrail.Query.all()).stream()
        .filter(r -> r.type().equals(type)).collect(Collectors.toList());
    assertThat(matching).as(type).hasSize(1);
    return matching.get(0);
  }

  private static List<String> types(TestDatabase db) {
    return db.store().audit().query(AuditTrail.Query.all()).stream().map(AuditRecord::type)
        .collect(Collectors.toList());
  }
}
