package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.DeliveryStore;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.PlannedDelivery;

class DeliveryStoreTest {
  private static final Instant START = TestDatabase.START;
  private static final Actor SYSTEM = Actor.system("test");
  private static final Duration LEASE = Duration.ofMinutes(1);

  @DatabaseTest
  void raisedAlertsAreUnplannedUntilPlannedOnceAndPlanningSurvivesARestart(TestDatabase db) {
    Alert a = raise(db, "k1", "pupil.a", "illegal-category");
    Alert b = raise(db, "k2", "pupil.b", "illegal-category");
    DeliveryStore deliveries = db.store().deliveries();
    assertThat(deliveries.unplanned(10)).extracting(Alert::id).containsExactly(a.id(), b.id());

    assertThat(deliveries.plan(a.id(), List.of(PlannedDelivery.send(Delivery.Channel.EMAIL, "dsl@school.org")), null))
        .isTrue();
    assertThat(deliveries.plan(a.id(), List.of(PlannedDelivery.send(Delivery.Channel.EMAIL, "x@school.org")), null))
        .as("second plan of the same alert").isFalse();

    DeliveryStore afterRestart = db.reopen().deliveries();
    assertThat(afterRestart.unplanned(10)).extracting(Alert::id).containsExactly(b.id());
    assertThat(afterRestart.forAlert(a.id())).extracting(Delivery::recipient).containsExactly("dsl@school.org");
  }

  @DatabaseTest
  void anAlertPlannedWithoutDeliveriesKeepsItsNote(TestDatabase db) {
    Alert a = raise(db, "k1", "pupil.a", "block-burst");

    assertThat(db.store().deliveries().plan(a.id(), List.of(), "no route")).isTrue();

    assertThat(db.store().deliveries().forAlert(a.id())).isEmpty();
    assertThat(db.store().deliveries().planNote(a.id())).contains("no route");
    assertThat(db.store().deliveries().unplanned(10)).isEmpty();
  }

  @DatabaseTest
  void twoNodesPlanningTheSameAlertsAtOncePlanEachExactlyOnce(TestDatabase db) throws Exception {
    List<AlertId> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(raise(db, "race-" + i, "pupil." + i, "illegal-category").id());
    }
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Callable<Integer>> nodes = new ArrayList<>();
        for (DeliveryStore node : List.of(db.store().deliveries(), otherNode.deliveries())) {
          nodes.add(() -> {
            int won = 0;
            for (AlertId id : ids) {
              won += node.plan(id, List.of(PlannedDelivery.send(Delivery.Channel.EMAIL, "dsl@school.org")), null)
                  ? 1 : 0;
            }
            return won;
          });
        }
        int total = 0;
        for (Future<Integer> f : pool.invokeAll(nodes)) {
          total += f.get();
        }
        assertThat(total).isEqualTo(ids.size());
      } finally {
        pool.shutdownNow();
      }
    }
    for (AlertId id : ids) {
      assertThat(db.store().deliveries().forAlert(id)).as("deliveries of " + id).hasSize(1);
    }
  }

  @DatabaseTest
  void claimDueHandsADeliveryToOneSenderUntilItsLeaseLapses(TestDatabase db) {
    Alert a = plannedTo(db, "k1", "dsl@school.org");
    DeliveryStore deliveries = db.store().deliveries();

    List<Delivery> first = deliveries.claimDue(START, LEASE, 10);
    assertThat(first).singleElement().satisfies(d -> {
      assertThat(d.alertId()).isEqualTo(a.id());
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.nextAttemptAt()).isEqualTo(START.plus(LEASE));
    });
    assertThat(deliveries.claimDue(START.plusSeconds(59), LEASE, 10)).as("claimed by the first sender").isEmpty();

    List<Delivery> afterLease = deliveries.claimDue(START.plus(LEASE), LEASE, 10);
    assertThat(afterLease).singleElement().satisfies(d -> assertThat(d.attempts()).isEqualTo(2));
  }

  @DatabaseTest
  void twoSendersClaimingAtOnceNeverGetTheSameDelivery(TestDatabase db) throws Exception {
    for (int i = 0; i < 40; i++) {
      plannedTo(db, "c" + i, "dsl@school.org");
    }
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Callable<List<Delivery>>> senders = new ArrayList<>();
        for (DeliveryStore node : List.of(db.store().deliveries(), otherNode.deliveries())) {
          senders.add(() -> {
            List<Delivery> mine = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
              mine.addAll(node.claimDue(START, LEASE, 3));
            }
            return mine;
          });
        }
        List<Long> claimed = new ArrayList<>();
        for (Future<List<Delivery>> f : pool.invokeAll(senders)) {
          f.get().forEach(d -> claimed.add(d.id().value()));
        }
        assertThat(claimed).doesNotHaveDuplicates().hasSize(40);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @DatabaseTest
  void claimDueReturnsTheMostOverdueFirstAndHonoursTheLimit(TestDatabase db) {
    Alert a = plannedTo(db, "k1", "a@school.org");
    db.clock().advance(Duration.ofSeconds(1));
    Alert b = plannedTo(db, "k2", "b@school.org");
    db.clock().advance(Duration.ofSeconds(1));
    plannedTo(db, "k3", "c@school.org");

    List<Delivery> claimed = db.store().deliveries().claimDue(db.clock().instant(), LEASE, 2);

    assertThat(claimed).extracting(Delivery::alertId).containsExactly(a.id(), b.id());
  }

  @DatabaseTest
  void retryRecordsTheErrorAndMakesTheDeliveryDueAgainAtTheGivenTime(TestDatabase db) {
    plannedTo(db, "k1", "dsl@school.org");
    DeliveryStore deliveries = db.store().deliveries();
    Delivery d = deliveries.claimDue(START, LEASE, 10).get(0);

    assertThat(deliveries.markRetry(d.id(), START.plusSeconds(5), "connection refused")).isTrue();

    assertThat(deliveries.claimDue(START.plusSeconds(4), LEASE, 10)).isEmpty();
    assertThat(deliveries.claimDue(START.plusSeconds(5), LEASE, 10)).singleElement().satisfies(again -> {
      assertThat(again.lastError()).isEqualTo("connection refused");
      assertThat(again.attempts()).isEqualTo(2);
    });
    assertThat(deliveries.oldestPending()).contains(START);
  }

  @DatabaseTest
  void sentSuppressedAndFailedAreFinalAndNeverDueAgain(TestDatabase db) {
    Alert sent = plannedTo(db, "k1", "a@school.org");
    Alert suppressed = plannedTo(db, "k2", "b@school.org");
    Alert failed = plannedTo(db, "k3", "c@school.org");
    DeliveryStore deliveries = db.store().deliveries();
    List<Delivery> due = deliveries.claimDue(START, LEASE, 10);
    assertThat(due).hasSize(3);

    assertThat(deliveries.markSent(due.get(0).id(), START.plusSeconds(1))).isTrue();
    assertThat(deliveries.markSuppressed(due.get(1).id(), "grouped")).isTrue();
    assertThat(deliveries.markFailed(due.get(2).id(), "HTTP 404 Not Found")).isTrue();

    assertThat(deliveries.markRetry(due.get(0).id(), START, "late")).as("retry after sent").isFalse();
    assertThat(deliveries.markSent(due.get(2).id(), START)).as("sent after failed").isFalse();
    assertThat(deliveries.claimDue(START.plus(Duration.ofDays(30)), LEASE, 10)).isEmpty();
    assertThat(deliveries.oldestPending()).isEmpty();
    assertThat(deliveries.forAlert(sent.id())).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.SENT);
      assertThat(d.sentAt()).isEqualTo(START.plusSeconds(1));
    });
    assertThat(deliveries.forAlert(suppressed.id())).singleElement()
        .satisfies(d -> assertThat(d.lastError()).isEqualTo("grouped"));
    assertThat(deliveries.forAlert(failed.id())).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.FAILED);
      assertThat(d.lastError()).isEqualTo("HTTP 404 Not Found");
    });
  }

  @DatabaseTest
  void aSuppressedPlannedDeliveryIsStoredWithItsReasonAndNeverClaimed(TestDatabase db) {
    Alert a = raise(db, "k1", "pupil.a", "repeated-attempts");

    db.store().deliveries().plan(a.id(), List.of(
        PlannedDelivery.suppress(Delivery.Channel.WEBHOOK, "dsl-teams", "grouped into the message sent at X")), null);

    assertThat(db.store().deliveries().claimDue(START, LEASE, 10)).isEmpty();
    assertThat(db.store().deliveries().forAlert(a.id())).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.SUPPRESSED);
      assertThat(d.channel()).isEqualTo(Delivery.Channel.WEBHOOK);
      assertThat(d.lastError()).isEqualTo("grouped into the message sent at X");
    });
  }

  @DatabaseTest
  void lastMessageFindsThePendingOrSentMessageOfTheSameWhoAndKindWithinTheWindow(TestDatabase db) {
    Alert first = plannedTo(db, "k1", "dsl@school.org", "pupil.a", "repeated-attempts");
    plannedTo(db, "k2", "dsl@school.org", "pupil.b", "repeated-attempts");
    plannedTo(db, "k3", "dsl@school.org", "pupil.a", "circumvention");
    DeliveryStore deliveries = db.store().deliveries();

    Instant windowStart = START.minusSeconds(1);
    assertThat(deliveries.lastMessage("pupil.a", "repeated-attempts", Delivery.Channel.EMAIL, "dsl@school.org",
        windowStart)).hasValueSatisfying(d -> assertThat(d.alertId()).isEqualTo(first.id()));
    assertThat(deliveries.lastMessage("pupil.a", "repeated-attempts", Delivery.Channel.EMAIL, "dsl@school.org",
        START)).as("raised exactly when the window starts: outside it").isEmpty();
    assertThat(deliveries.lastMessage("pupil.a", "repeated-attempts", Delivery.Channel.EMAIL, "deputy@school.org",
        windowStart)).as("another recipient").isEmpty();

    Delivery d = deliveries.forAlert(first.id()).get(0);
    deliveries.markFailed(d.id(), "gave up");
    assertThat(deliveries.lastMessage("pupil.a", "repeated-attempts", Delivery.Channel.EMAIL, "dsl@school.org",
        windowStart)).as("a failed message groups nothing").isEmpty();
  }

  @DatabaseTest
  void alertsRaisedBeforeDeliveryExistedAreNotPlannedOrSentAfterTheUpgrade(TestDatabase db) throws Exception {
    db.store();
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      // what V3's UPDATE does to alerts already in the table
      s.executeUpdate("INSERT INTO alerts (raised_at, severity, kind, audience, subject, details, who,"
          + " idempotency_key, delivery_planned_at, delivery_note) VALUES (1, 'critical', 'illegal-category', 'dsl',"
          + " 'old', '', 'pupil', 'old-key', 1, 'raised before alert delivery existed')");
    }
    raise(db, "new-key", "pupil", "illegal-category");

    assertThat(db.store().deliveries().unplanned(10)).extracting(a -> a.content().idempotencyKey())
        .containsExactly("new-key");
  }

  @DatabaseTest
  void invalidArgumentsAreRefusedWithMessagesSayingWhatToUse(TestDatabase db) {
    DeliveryStore deliveries = db.store().deliveries();
    assertThatThrownBy(() -> deliveries.claimDue(START, Duration.ZERO, 10)).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> deliveries.unplanned(0)).hasMessageContaining("use 1-1000");
    assertThatThrownBy(() -> PlannedDelivery.suppress(Delivery.Channel.EMAIL, "a@b.c", " "))
        .hasMessageContaining("needs a reason");
    assertThatThrownBy(() -> new PlannedDelivery(Delivery.Channel.EMAIL, "a@b.c", Delivery.State.SENT, null))
        .hasMessageContaining("pending or suppressed");
  }

  private static Alert raise(TestDatabase db, String key, String who, String kind) {
    return db.store().alerts().raise(new NewAlert(Alert.Severity.WARNING, kind, Alert.Audience.DSL,
        "Something about " + who, "details", who, null, key), SYSTEM);
  }

  private static Alert plannedTo(TestDatabase db, String key, String recipient) {
    return plannedTo(db, key, recipient, "pupil." + key, "illegal-category");
  }

  private static Alert plannedTo(TestDatabase db, String key, String recipient, String who, String kind) {
    Alert a = raise(db, key, who, kind);
    assertThat(db.store().deliveries().plan(a.id(),
        Collections.singletonList(PlannedDelivery.send(Delivery.Channel.EMAIL, recipient)), null)).isTrue();
    return a;
  }
}
