package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentAction;
import org.schoolgate.store.IncidentHistory;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.IncidentStore.Viewer;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.TimelineEntry;

class IncidentStoreTest {
  private static final Instant START = TestDatabase.START;
  private static final Actor ALERTS = Actor.system("alerts");
  private static final Actor DSL = new Actor(null, "mrs.dsl", "10.1.0.9");
  private static final Viewer DSL_VIEW = Viewer.all(DSL);
  private static final Actor TEACHER = new Actor(null, "mr.form", "10.1.0.20");

  @DatabaseTest
  void aDslAlertOpensANewIncidentInItsTransactionAndLinksToIt(TestDatabase db) {
    Alert alert = db.store().alerts().raise(alert("k1", "sam (ks3-4)", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS);

    List<Incident> all = db.store().incidents().list(IncidentStore.Query.recent(10), DSL_VIEW);
    assertThat(all).singleElement().satisfies(i -> {
      assertThat(i.state()).isEqualTo(IncidentState.NEW);
      assertThat(i.who()).isEqualTo("sam (ks3-4)");
      assertThat(i.kind()).isEqualTo("repeated-attempts");
      assertThat(i.severity()).isEqualTo(Alert.Severity.WARNING);
      assertThat(i.subject()).isEqualTo("subject k1");
      assertThat(i.openedAt()).isEqualTo(START);
      assertThat(i.hits()).isEqualTo(1);
      assertThat(i.owner()).isNull();
      assertThat(i.criticalSince()).isNull();
    });
    Incident incident = all.get(0);
    assertThat(alert.content().link()).isEqualTo("incident:" + incident.id());
    assertThat(db.store().alerts().get(alert.id()).orElseThrow().content().link()).isEqualTo(incident.id().link());
    IncidentHistory history = db.store().incidents().get(incident.id(), DSL_VIEW);
    assertThat(history.timeline()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(TimelineEntry.Type.HIT);
      assertThat(e.alert()).isEqualTo(alert.id());
      assertThat(e.actor()).isEqualTo("system:alerts");
    });
    assertThat(types(db)).containsExactly("alert.raised", "incident.opened", "incident.listed", "incident.viewed");
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void anAlertRaisedLateForAnEventBeforeTheDslClosedItsIncidentJoinsItClosedAndIsNeverDelivered(TestDatabase db) {
    AlertStore alerts = db.store().alerts();
    Alert live = alerts.raise(alert("live", "sam (ks3-4)", "search-self-harm", Alert.Severity.CRITICAL), ALERTS, START);
    IncidentId incident = new IncidentId(Long.parseLong(live.content().link().substring("incident:".length())));
    db.clock().advance(Duration.ofMinutes(10));
    db.store().incidents().close(incident, "Spoke to Sam and the parents", DSL);
    db.clock().advance(Duration.ofHours(1));

    Alert late = alerts.raise(alert("replayed", "sam (ks3-4)", "search-self-harm", Alert.Severity.CRITICAL), ALERTS,
        START.plusSeconds(5));
    Alert afterClosing = alerts.raise(alert("new", "sam (ks3-4)", "search-self-harm", Alert.Severity.CRITICAL),
        ALERTS, START.plus(Duration.ofMinutes(30)));

    assertThat(late.content().link()).isEqualTo(incident.link());
    assertThat(afterClosing.content().link()).isNotEqualTo(incident.link());
    IncidentHistory closed = db.store().incidents().get(incident, DSL_VIEW);
    assertThat(closed.incident().state()).isEqualTo(IncidentState.CLOSED);
    assertThat(closed.incident().hits()).isEqualTo(2);
    assertThat(closed.timeline()).filteredOn(e -> late.id().equals(e.alert())).singleElement()
        .satisfies(e -> assertThat(e.text()).endsWith("(its event at " + START.plusSeconds(5)
            + " came before mrs.dsl closed incident " + incident + " at " + START.plus(Duration.ofMinutes(10))
            + ": not delivered)"));
    assertThat(db.store().deliveries().unplanned(10)).extracting(Alert::id)
        .containsExactlyInAnyOrder(live.id(), afterClosing.id());
    assertThat(db.store().deliveries().planNote(late.id())).contains("incident " + incident
        + " was closed by mrs.dsl at " + START.plus(Duration.ofMinutes(10)) + ", after this alert's event: not delivered");
    assertThat(db.store().deliveries().closedIncident(live.id())).contains("incident " + incident
        + " was closed by mrs.dsl at " + START.plus(Duration.ofMinutes(10)) + ": not sent");
    assertThat(db.store().deliveries().closedIncident(afterClosing.id())).isEmpty();
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void laterAlertsOfTheSamePersonAndKindJoinWithinTheWindowAndRaiseTheSeverity(TestDatabase db) {
    AlertStore alerts = db.store().alerts();
    Alert first = alerts.raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS);
    db.clock().advance(Duration.ofHours(23));
    Alert second = alerts.raise(alert("b", "sam", "repeated-attempts", Alert.Severity.CRITICAL), ALERTS);
    Alert otherKind = alerts.raise(alert("c", "sam", "illegal-category", Alert.Severity.CRITICAL), ALERTS);
    Alert otherPerson = alerts.raise(alert("d", "alex", "repeated-attempts", Alert.Severity.WARNING), ALERTS);
    db.clock().advance(Duration.ofHours(24).plusSeconds(1));
    Alert afterWindow = alerts.raise(alert("e", "sam", "repeated-attempts", Alert.Severity.INFO), ALERTS);

    assertThat(second.content().link()).isEqualTo(first.content().link());
    assertThat(Set.of(first.content().link(), otherKind.content().link(), otherPerson.content().link(),
        afterWindow.content().link())).hasSize(4);
    Incident joined = db.store().incidents().get(id(first), DSL_VIEW).incident();
    assertThat(joined.hits()).isEqualTo(2);
    assertThat(joined.severity()).isEqualTo(Alert.Severity.CRITICAL);
    assertThat(joined.subject()).isEqualTo("subject a");
    assertThat(joined.lastHitAt()).isEqualTo(START.plus(Duration.ofHours(23)));
    assertThat(joined.criticalSince()).isEqualTo(START.plus(Duration.ofHours(23)));
    assertThat(types(db).stream().filter("incident.hit"::equals)).hasSize(1);
    assertThat(types(db).stream().filter("incident.opened"::equals)).hasSize(4);
  }

  @DatabaseTest
  void aClosedIncidentIsNeverJoinedAndARepeatedKeyAddsNoHit(TestDatabase db) {
    AlertStore alerts = db.store().alerts();
    Alert first = alerts.raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS);
    Alert again = alerts.raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS);
    assertThat(again).isEqualTo(first);
    assertThat(db.store().incidents().get(id(first), DSL_VIEW).incident().hits()).isEqualTo(1);

    db.store().incidents().close(id(first), "spoke to sam; a mistyped address", DSL);
    Alert next = alerts.raise(alert("b", "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS);

    assertThat(next.content().link()).isNotEqualTo(first.content().link());
  }

  @DatabaseTest
  void alertsForTechniciansOrAboutSomethingElseOpenNoIncident(TestDatabase db) {
    AlertStore alerts = db.store().alerts();
    Alert tech = alerts.raise(new NewAlert(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS,
        "vpn", "", "sam", null, "t1"), ALERTS);
    Alert linked = alerts.raise(new NewAlert(Alert.Severity.WARNING, "filter-bypass", Alert.Audience.DSL,
        "bypass", "", "staff", "unblock:4", "t2"), ALERTS);

    assertThat(tech.content().link()).isNull();
    assertThat(linked.content().link()).isEqualTo("unblock:4");
    assertThat(db.store().incidents().list(IncidentStore.Query.recent(10), DSL_VIEW)).isEmpty();
  }

  @DatabaseTest
  void kindFamiliesAndTheJoinWindowAreStoreSettings(TestDatabase db) {
    IncidentSettings settings = new IncidentSettings(Duration.ofMinutes(30),
        Map.of("illegal-category", "safeguarding", "repeated-attempts", "safeguarding"));
    try (JdbcStore store = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER, settings)) {
      Alert a = store.alerts().raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS);
      Alert b = store.alerts().raise(alert("b", "sam", "illegal-category", Alert.Severity.CRITICAL), ALERTS);
      db.clock().advance(Duration.ofMinutes(31));
      Alert c = store.alerts().raise(alert("c", "sam", "illegal-category", Alert.Severity.CRITICAL), ALERTS);

      assertThat(b.content().link()).isEqualTo(a.content().link());
      assertThat(c.content().link()).isNotEqualTo(a.content().link());
      assertThat(store.incidents().get(id(a), DSL_VIEW).incident().kind()).isEqualTo("safeguarding");
      assertThat(store.incidents().settings()).isEqualTo(settings);
    }
  }

  @DatabaseTest
  void escalationAlertsGiveTheTimeInTheSchoolsZone(TestDatabase db) {
    db.clock().set(java.time.Instant.parse("2026-06-15T08:00:00Z")); // British Summer Time
    IncidentSettings settings = IncidentSettings.DEFAULTS.withZone(java.time.ZoneId.of("Europe/London"));
    try (JdbcStore store = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER, settings)) {
      IncidentId id = id(store.alerts().raise(alert("a", "sam", "illegal-category", Alert.Severity.CRITICAL),
          ALERTS));

      store.incidents().escalate(id, 1, "not acknowledged within 30 minutes", Actor.system("escalation"));

      assertThat(store.alerts().list(new AlertStore.Query(null, false, 100))).filteredOn(
          a -> a.content().kind().equals("escalation-1")).singleElement().satisfies(a -> assertThat(
              a.content().subject()).endsWith("not acknowledged since 2026-06-15 09:00 BST"));
    }
  }

  @DatabaseTest
  void theStateMachineRunsNewAcknowledgedEscalatedClosedAndRefusesTheRest(TestDatabase db) {
    IncidentStore incidents = db.store().incidents();
    IncidentId id = id(db.store().alerts().raise(alert("a", "sam", "illegal-category", Alert.Severity.CRITICAL),
        ALERTS));
    db.clock().advance(Duration.ofMinutes(5));

    Incident acknowledged = incidents.acknowledge(id, DSL);
    assertThat(acknowledged.state()).isEqualTo(IncidentState.ACKNOWLEDGED);
    assertThat(acknowledged.acknowledgedBy()).isEqualTo("mrs.dsl");
    assertThat(acknowledged.acknowledgedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    assertConflict(() -> incidents.acknowledge(id, DSL), "incident " + id + " was already acknowledged by mrs.dsl");
    assertConflict(() -> incidents.escalate(id, 2, "", DSL), "the next level is 1");

    Incident escalated = incidents.escalate(id, 1, "needs the deputy", DSL);
    assertThat(escalated.state()).isEqualTo(IncidentState.ESCALATED);
    assertThat(escalated.escalationLevel()).isEqualTo(1);
    assertThat(incidents.escalate(id, 2, "", DSL).escalationLevel()).isEqualTo(2);
    assertConflict(() -> incidents.escalate(id, 2, "", DSL), "already escalated to level 2 (the highest)");
    assertThatThrownBy(() -> incidents.close(id, "  ", DSL)).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.code()).isEqualTo("invalid");
      assertThat(e.field()).isEqualTo("outcome");
    });

    Incident closed = incidents.close(id, "parents informed; referred to social care", DSL);
    assertThat(closed.state()).isEqualTo(IncidentState.CLOSED);
    assertThat(closed.outcome()).isEqualTo("parents informed; referred to social care");
    assertThat(closed.closedBy()).isEqualTo("mrs.dsl");
    assertConflict(() -> incidents.acknowledge(id, DSL), "a closed incident cannot be acknowledged");
    assertConflict(() -> incidents.close(id, "again", DSL), "a closed incident cannot be closed");
    assertConflict(() -> incidents.escalate(id, 1, "", DSL), "a closed incident cannot be escalated");

    List<TimelineEntry> timeline = incidents.get(id, DSL_VIEW).timeline();
    assertThat(timeline).extracting(TimelineEntry::type).containsExactly(TimelineEntry.Type.HIT,
        TimelineEntry.Type.STATE, TimelineEntry.Type.STATE, TimelineEntry.Type.STATE, TimelineEntry.Type.STATE);
    assertThat(timeline).extracting(TimelineEntry::state).containsExactly(null, IncidentState.ACKNOWLEDGED,
        IncidentState.ESCALATED, IncidentState.ESCALATED, IncidentState.CLOSED);
    assertThat(types(db)).containsSubsequence("incident.acknowledged", "incident.escalated", "incident.escalated",
        "incident.closed", "incident.viewed");
    AuditRecord close = records(db, "incident.closed").get(0);
    assertThat(close.before()).contains("\"state\":\"escalated\"");
    assertThat(close.after()).contains("\"state\":\"closed\"", "\"outcome\":\"parents informed");
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void escalatingRaisesOneEscalationAlertPerLevelThatOpensNoIncident(TestDatabase db) {
    IncidentId id = id(db.store().alerts().raise(alert("a", "sam", "illegal-category", Alert.Severity.CRITICAL),
        ALERTS));
    db.clock().advance(Duration.ofMinutes(30));

    db.store().incidents().escalate(id, 1, "not acknowledged within 30 minutes", Actor.system("escalation"));

    List<Alert> escalations = db.store().alerts().list(new AlertStore.Query(null, false, 100)).stream()
        .filter(a -> a.content().kind().startsWith("escalation")).collect(Collectors.toList());
    assertThat(escalations).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("escalation-1");
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.content().idempotencyKey()).isEqualTo("escalation:" + id + ":1");
      assertThat(a.content().link()).isEqualTo("incident:" + id);
      assertThat(a.content().subject()).isEqualTo("Escalation 1: critical incident " + id
          + " (illegal-category, sam) not acknowledged since 2026-03-02 08:00 UTC");
    });
    assertThat(db.store().incidents().list(IncidentStore.Query.recent(10), DSL_VIEW)).hasSize(1);
  }

  @DatabaseTest
  void dueForEscalationFindsUnacknowledgedCriticalIncidentsOnePeriodPerLevel(TestDatabase db) {
    IncidentStore incidents = db.store().incidents();
    Duration after = Duration.ofMinutes(30);
    IncidentId critical = id(db.store().alerts().raise(alert("a", "sam", "illegal-category",
        Alert.Severity.CRITICAL), ALERTS));
    IncidentId warning = id(db.store().alerts().raise(alert("b", "alex", "repeated-attempts",
        Alert.Severity.WARNING), ALERTS));
    IncidentId acknowledged = id(db.store().alerts().raise(alert("c", "kim", "illegal-category",
        Alert.Severity.CRITICAL), ALERTS));
    incidents.acknowledge(acknowledged, DSL);

    assertThat(incidents.dueForEscalation(START.plus(Duration.ofMinutes(29)), after)).isEmpty();
    assertThat(incidents.dueForEscalation(START.plus(after), after)).singleElement().satisfies(d -> {
      assertThat(d.incident().id()).isEqualTo(critical);
      assertThat(d.level()).isEqualTo(1);
    });
    incidents.escalate(critical, 1, "", DSL);
    assertThat(incidents.dueForEscalation(START.plus(Duration.ofMinutes(59)), after)).isEmpty();
    assertThat(incidents.dueForEscalation(START.plus(Duration.ofMinutes(60)), after)).singleElement()
        .satisfies(d -> assertThat(d.level()).isEqualTo(2));
    incidents.escalate(critical, 2, "", DSL);
    assertThat(incidents.dueForEscalation(START.plus(Duration.ofHours(5)), after)).isEmpty();
    assertThat(warning).isNotEqualTo(critical);
  }

  @DatabaseTest
  void escalateIfDueRechecksUnderTheLockAndManualEscalationTakesTheNextLevel(TestDatabase db) {
    IncidentStore incidents = db.store().incidents();
    Duration after = Duration.ofMinutes(30);
    Actor system = Actor.system("escalation");
    IncidentId id = id(db.store().alerts().raise(alert("a", "sam", "illegal-category", Alert.Severity.CRITICAL),
        ALERTS));
    Instant due = START.plus(after);

    assertThat(incidents.escalateIfDue(id, 1, due.minusSeconds(1), after, system)).isEmpty();
    assertThat(incidents.escalateIfDue(id, 2, due, after, system)).isEmpty();
    assertThat(incidents.escalateIfDue(id, 1, due, after, system)).hasValueSatisfying(i ->
        assertThat(i.escalationLevel()).isEqualTo(1));
    assertThat(incidents.escalateIfDue(id, 1, due, after, system)).isEmpty();
    incidents.acknowledge(id, DSL);
    assertThat(incidents.escalateIfDue(id, 2, due.plus(after), after, system)).isEmpty();

    assertThat(incidents.escalate(id, "the head must know", DSL).escalationLevel()).isEqualTo(2);
    assertConflict(() -> incidents.escalate(id, "again", DSL), "already escalated to level 2 (the highest)");
    assertThat(records(db, "incident.escalated")).extracting(AuditRecord::reason)
        .containsExactly("level 1: not acknowledged within 30 minutes", "level 2: the head must know");
  }

  @DatabaseTest
  void anAssigneeSeesOnlyTheirIncidentsAndOthersAreNotFound(TestDatabase db) {
    db.store().accounts().create("mr.form", "Mr Form", "long enough password".toCharArray(), Set.of(Role.TEACHER),
        DSL);
    IncidentStore incidents = db.store().incidents();
    IncidentId mine = id(db.store().alerts().raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));
    IncidentId other = id(db.store().alerts().raise(alert("b", "alex", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));
    Incident assigned = incidents.assign(mine, "mr.form", DSL);
    Viewer teacher = Viewer.assignee(TEACHER);

    assertThat(assigned.owner()).isEqualTo("mr.form");
    assertThat(incidents.get(mine, teacher).incident().owner()).isEqualTo("mr.form");
    assertThat(incidents.list(IncidentStore.Query.recent(10), teacher)).extracting(Incident::id)
        .containsExactly(mine);
    assertNotFound(() -> incidents.get(other, teacher), other);
    assertNotFound(() -> incidents.note(other, "hello", teacher), other);
    assertNotFound(() -> incidents.get(new IncidentId(4242), DSL_VIEW), new IncidentId(4242));
    IncidentHistory noted = incidents.note(mine, "spoke to sam after registration", teacher);
    assertThat(noted.timeline()).last().satisfies(e -> {
      assertThat(e.type()).isEqualTo(TimelineEntry.Type.NOTE);
      assertThat(e.actor()).isEqualTo("mr.form");
      assertThat(e.text()).isEqualTo("spoke to sam after registration");
    });
    assertThat(records(db, "incident.listed")).last().satisfies(r -> {
      assertThat(r.actor()).isEqualTo("mr.form");
      assertThat(r.reason()).isEqualTo("limit=10 (assigned to me): 1 shown");
    });
    assertThat(records(db, "incident.viewed")).extracting(AuditRecord::actor).containsExactly("mr.form");
    assertThat(records(db, "incident.view.refused")).singleElement().satisfies(r -> {
      assertThat(r.actor()).isEqualTo("mr.form");
      assertThat(r.reason()).isEqualTo("not assigned to them");
    });
    assertThat(records(db, "incident.assigned")).singleElement()
        .satisfies(r -> assertThat(r.after()).contains("\"owner\":\"mr.form\""));
  }

  @DatabaseTest
  void alertsJoiningAnIncidentWhileSomeoneWorksOnItFromAnotherNodeNeverDeadlock(TestDatabase db) throws Exception {
    IncidentId id = id(db.store().alerts().raise(alert("first", "sam", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      for (int round = 0; round < 10; round++) {
        String key = "join-" + round;
        Concurrently.run(2, i -> i == 0
            ? db.store().alerts().raise(alert(key, "sam", "repeated-attempts", Alert.Severity.WARNING), ALERTS)
            : otherNode.incidents().note(id, "note " + key, DSL_VIEW));
      }
    }
    IncidentHistory h = db.store().incidents().get(id, DSL_VIEW);
    assertThat(h.incident().hits()).isEqualTo(11);
    assertThat(h.timeline()).filteredOn(e -> e.type() == TimelineEntry.Type.NOTE).hasSize(10);
    assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void assigningToAnUnknownAccountIsInvalid(TestDatabase db) {
    IncidentId id = id(db.store().alerts().raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));

    assertThatThrownBy(() -> db.store().incidents().assign(id, "nobody", DSL))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid");
          assertThat(e.field()).isEqualTo("owner");
          assertThat(e.getMessage()).contains("no enabled account 'nobody'");
        });
  }

  @DatabaseTest
  void actionsComeFromTheVocabularyAndOtherNeedsText(TestDatabase db) {
    IncidentStore incidents = db.store().incidents();
    IncidentId id = id(db.store().alerts().raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));

    incidents.action(id, IncidentAction.PARENTS_INFORMED, "phoned mum", DSL_VIEW);
    IncidentHistory h = incidents.action(id, IncidentAction.SPOKE_TO_PUPIL, null, DSL_VIEW);

    assertThat(h.timeline()).filteredOn(e -> e.type() == TimelineEntry.Type.ACTION)
        .extracting(TimelineEntry::action, TimelineEntry::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(IncidentAction.PARENTS_INFORMED, "phoned mum"),
            org.assertj.core.groups.Tuple.tuple(IncidentAction.SPOKE_TO_PUPIL, null));
    assertThatThrownBy(() -> incidents.action(id, IncidentAction.OTHER, " ", DSL_VIEW))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("text"));
    assertThat(records(db, "incident.action")).extracting(AuditRecord::reason)
        .containsExactly("parents-informed: phoned mum", "spoke-to-pupil");
  }

  @DatabaseTest
  void listFiltersByStateSeverityOwnerWhoAndSince(TestDatabase db) {
    db.store().accounts().create("mr.form", "Mr Form", "long enough password".toCharArray(), Set.of(Role.TEACHER),
        DSL);
    IncidentStore incidents = db.store().incidents();
    IncidentId a = id(db.store().alerts().raise(alert("a", "sam (ks3-4)", "illegal-category",
        Alert.Severity.CRITICAL), ALERTS));
    db.clock().advance(Duration.ofHours(1));
    IncidentId b = id(db.store().alerts().raise(alert("b", "samantha (ks5)", "repeated-attempts",
        Alert.Severity.WARNING), ALERTS));
    incidents.acknowledge(b, DSL);
    incidents.assign(b, "mr.form", DSL);

    assertThat(ids(incidents.list(IncidentStore.Query.recent(10), DSL_VIEW))).containsExactly(b, a);
    assertThat(ids(incidents.list(new IncidentStore.Query(IncidentState.NEW, null, null, null, null, 10), DSL_VIEW)))
        .containsExactly(a);
    assertThat(ids(incidents.list(new IncidentStore.Query(null, Alert.Severity.WARNING, null, null, null, 10),
        DSL_VIEW))).containsExactly(b);
    assertThat(ids(incidents.list(new IncidentStore.Query(null, null, "mr.form", null, null, 10), DSL_VIEW)))
        .containsExactly(b);
    assertThat(ids(incidents.list(new IncidentStore.Query(null, null, null, "sam", null, 10), DSL_VIEW)))
        .containsExactly(a);
    assertThat(ids(incidents.list(new IncidentStore.Query(null, null, null, null,
        START.plus(Duration.ofMinutes(30)), 10), DSL_VIEW))).containsExactly(b);
    assertThat(ids(incidents.list(IncidentStore.Query.recent(1), DSL_VIEW))).containsExactly(b);
    assertThatThrownBy(() -> incidents.list(IncidentStore.Query.recent(0), DSL_VIEW))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("limit"));
  }

  @DatabaseTest
  void activityHoldsIncidentsOpenAtSomeTimeInThePeriod(TestDatabase db) {
    IncidentStore incidents = db.store().incidents();
    IncidentId early = id(db.store().alerts().raise(alert("a", "sam", "repeated-attempts", Alert.Severity.WARNING),
        ALERTS));
    db.clock().advance(Duration.ofHours(1));
    incidents.close(early, "nothing in it", DSL);
    db.clock().advance(Duration.ofHours(1));
    IncidentId later = id(db.store().alerts().raise(alert("b", "alex", "repeated-attempts",
        Alert.Severity.WARNING), ALERTS));
    Actor digest = Actor.system("digest");

    assertThat(ids(incidents.activity(START, START.plus(Duration.ofDays(1)), digest))).containsExactly(early, later);
    assertThat(ids(incidents.activity(START.plus(Duration.ofMinutes(90)), START.plus(Duration.ofDays(1)), digest)))
        .containsExactly(later);
    assertThat(ids(incidents.activity(START, START.plus(Duration.ofMinutes(30)), digest))).containsExactly(early);
    assertThat(records(db, "incident.listed")).last().satisfies(r -> assertThat(r.actor()).isEqualTo("system:digest"));
  }

  private static NewAlert alert(String key, String who, String kind, Alert.Severity severity) {
    return new NewAlert(severity, kind, Alert.Audience.DSL, "subject " + key, "details " + key, who, null, key);
  }

  private static IncidentId id(Alert alert) {
    String link = alert.content().link();
    assertThat(link).startsWith("incident:");
    return new IncidentId(Long.parseLong(link.substring("incident:".length())));
  }

  private static List<IncidentId> ids(List<Incident> incidents) {
    return incidents.stream().map(Incident::id).collect(Collectors.toList());
  }

  private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.code()).isEqualTo("conflict");
      assertThat(e.getMessage()).contains(message);
    });
  }

  private static void assertNotFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, IncidentId id) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.code()).isEqualTo("not_found");
      assertThat(e.getMessage()).isEqualTo("incident " + id + " does not exist");
    });
  }

  private static List<AuditRecord> records(TestDatabase db, String type) {
    return db.store().audit().query(AuditTrail.Query.all()).stream().filter(r -> r.type().equals(type))
        .collect(Collectors.toList());
  }

  private static List<String> types(TestDatabase db) {
    return db.store().audit().query(AuditTrail.Query.all()).stream().map(AuditRecord::type)
        .collect(Collectors.toList());
  }
}
