package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.Role;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;

class UnblockStoreTest {
  private static final Instant START = TestDatabase.START;
  private static final Actor TEACHER = Unblocks.TEACHER;
  private static final Actor TECH = Unblocks.TECHNICIAN;

  @DatabaseTest
  void requestStoresEveryKindOfTargetAndScopeAsPending(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockScope scope = new UnblockScope(Set.of(new GroupId("ks2"), new GroupId("staff")), Set.of("pupil1"),
        List.of("10.1.4.0/24", "10.1.5.0/24"));
    List<UnblockTarget> targets = List.of(new UnblockTarget.Domain("example.com"),
        new UnblockTarget.UrlPrefix("youtube.com", "/watch?v=abc"), new UnblockTarget.Category(new CategoryId("games")),
        new UnblockTarget.Everything());

    for (UnblockTarget target : targets) {
      NewUnblock request = new NewUnblock(target, scope, START.plusSeconds(60), START.plus(Duration.ofHours(1)),
          "Year 6 project", true, "games, social");
      UnblockRecord stored = unblocks.request(request, TEACHER);

      assertThat(stored.status()).isEqualTo(UnblockStatus.PENDING);
      assertThat(stored.request()).isEqualTo(request);
      assertThat(stored.requestedBy()).isEqualTo("ms.jones");
      assertThat(stored.requestedAt()).isEqualTo(START);
      assertThat(unblocks.get(stored.id())).contains(stored);
    }
    assertThat(unblocks.list(UnblockStore.Query.all())).extracting(r -> r.request().target())
        .containsExactlyElementsOf(reversed(targets));
  }

  @DatabaseTest
  void aRequestFromApprovalStartsWhenApprovedAndKeepsItsLengthAnExplicitOneStaysAsAsked(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockScope scope = new UnblockScope(Set.of(new GroupId("ks2")), Set.of(), List.of());
    UnblockRecord forAnHour = unblocks.request(new NewUnblock(new UnblockTarget.Domain("a.com"), scope, START,
        START.plus(Duration.ofHours(1)), "Year 6 project on a.com", false, "", true), TEACHER);
    UnblockRecord explicit = unblocks.request(new NewUnblock(new UnblockTarget.Domain("b.com"), scope, START,
        START.plus(Duration.ofHours(1)), "Year 6 project on b.com", false, ""), TEACHER);
    db.clock().advance(Duration.ofSeconds(14));

    UnblockRecord approved = unblocks.approve(forAnHour.id(), TECH, "ok");
    UnblockRecord approvedAsAsked = unblocks.approve(explicit.id(), TECH, "ok");

    assertThat(approved.request().from()).isEqualTo(START.plusSeconds(14));
    assertThat(approved.request().until()).isEqualTo(START.plusSeconds(14).plus(Duration.ofHours(1)));
    assertThat(unblocks.get(forAnHour.id())).contains(approved);
    assertThat(unblocks.inForce(START.plus(Duration.ofHours(1)).plusSeconds(5))).extracting(UnblockRecord::id)
        .containsExactly(forAnHour.id());
    assertThat(approvedAsAsked.request().until()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(db.store().audit().query(AuditTrail.Query.all())).filteredOn(r -> r.type().equals("unblock.requested"))
        .extracting(AuditRecord::after).satisfiesExactly(
            a -> assertThat(a).contains("\"fromApproval\":true"), b -> assertThat(b).doesNotContain("fromApproval"));
  }

  @DatabaseTest
  void requestIsAuditedWithTheWholeRequest(TestDatabase db) {
    UnblockRecord r = db.store().unblocks().request(Unblocks.domain("bbc.co.uk", START, Duration.ofHours(2)), TEACHER);

    AuditRecord audit = only(db, "unblock.requested");
    assertThat(audit.target()).isEqualTo("unblock:" + r.id());
    assertThat(audit.actor()).isEqualTo("ms.jones");
    assertThat(audit.address()).isEqualTo("10.1.4.20");
    assertThat(audit.reason()).isEqualTo("lesson on bbc.co.uk");
    assertThat(audit.before()).isNull();
    assertThat(audit.after()).contains("\"status\":\"pending\"", "\"target\":\"domain:bbc.co.uk\"",
        "\"groups\":[\"ks2\"]", "\"subnets\":[\"10.1.4.0/24\"]", "\"from\":\"2026-03-02T08:00:00Z\"",
        "\"until\":\"2026-03-02T10:00:00Z\"", "\"reason\":\"lesson on bbc.co.uk\"");
  }

  @DatabaseTest
  void requestEndingBeforeItStartsIsInvalid(TestDatabase db) {
    NewUnblock backwards = new NewUnblock(new UnblockTarget.Domain("a.com"),
        new UnblockScope(Set.of(), Set.of("u"), List.of()), START, START, "r", false, "");

    assertThatThrownBy(() -> db.store().unblocks().request(backwards, TEACHER))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("until"));
  }

  @DatabaseTest
  void approvalRecordsTheApproverAndIsAuditedWithBeforeAndAfter(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord pending = unblocks.request(Unblocks.domain("a.com", START, Duration.ofHours(1)), TEACHER);
    db.clock().advance(Duration.ofMinutes(5));

    UnblockRecord approved = unblocks.approve(pending.id(), TECH, "fine for the lesson");

    assertThat(approved.status()).isEqualTo(UnblockStatus.APPROVED);
    assertThat(approved.decidedBy()).isEqualTo("tech.tom");
    assertThat(approved.decidedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    assertThat(approved.decisionNote()).isEqualTo("fine for the lesson");
    assertThat(unblocks.get(pending.id())).contains(approved);
    assertThat(approved.toUnblock().approvedBy()).isEqualTo("tech.tom");
    AuditRecord audit = only(db, "unblock.approved");
    assertThat(audit.reason()).isEqualTo("fine for the lesson");
    assertThat(audit.before()).contains("\"status\":\"pending\"");
    assertThat(audit.after()).contains("\"status\":\"approved\"", "\"decidedBy\":\"tech.tom\"");
  }

  @DatabaseTest
  void approvingAFilterBypassIsAuditedAsBypassApproved(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    NewUnblock bypass = new NewUnblock(new UnblockTarget.Everything(),
        new UnblockScope(Set.of(), Set.of("exam.pc1"), List.of()), START, START.plusSeconds(3600), "exam", true, "");
    UnblockRecord pending = unblocks.request(bypass, TEACHER);

    unblocks.approve(pending.id(), TECH, "ok");

    assertThat(only(db, "bypass.approved").target()).isEqualTo("unblock:" + pending.id());
    assertThat(types(db)).doesNotContain("unblock.approved");
  }

  /** Every action from every state: only PENDING may be decided, only APPROVED revoked or expired. */
  @DatabaseTest
  void stateMachineAllowsExactlyTheDocumentedTransitions(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    for (UnblockStatus from : UnblockStatus.values()) {
      for (Action action : Action.values()) {
        UnblockRecord record = inState(unblocks, from);
        UnblockStatus expected = action.result(from);
        int auditsBefore = db.store().audit().query(AuditTrail.Query.all()).size();
        String label = action + " from " + from;

        if (expected == null) {
          if (action == Action.EXPIRE) {
            assertThat(unblocks.expireDue(farFuture()))
                .as(label).extracting(UnblockRecord::id).doesNotContain(record.id());
          } else {
            assertThatThrownBy(() -> action.apply(unblocks, record.id()))
                .as(label)
                .isInstanceOfSatisfying(StoreException.class, e -> {
                  assertThat(e.code()).isEqualTo("conflict");
                  assertThat(e.getMessage()).contains("unblock " + record.id() + " is " + from.apiName());
                });
          }
          assertThat(unblocks.get(record.id()).orElseThrow().status()).as(label).isEqualTo(from);
        } else {
          UnblockRecord after = action == Action.EXPIRE
              ? unblocks.expireDue(farFuture()).stream().filter(r -> r.id().equals(record.id())).findFirst()
                  .orElseThrow()
              : action.apply(unblocks, record.id());
          assertThat(after.status()).as(label).isEqualTo(expected);
          assertThat(unblocks.get(record.id())).as(label).contains(after);
          List<AuditRecord> all = db.store().audit().query(AuditTrail.Query.all());
          List<AuditRecord> newRecords = all.subList(auditsBefore, all.size());
          assertThat(newRecords).as(label).extracting(AuditRecord::type).contains("unblock." + expected.apiName());
        }
      }
    }
  }

  @DatabaseTest
  void approvalIsRolledBackWhenItsAuditRecordCannotBeWritten(TestDatabase db) throws Exception {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord pending = unblocks.request(Unblocks.domain("a.com", START, Duration.ofHours(1)), TEACHER);
    try (java.sql.Connection c = db.raw(); java.sql.Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM audit_head");
    }

    assertThatThrownBy(() -> unblocks.approve(pending.id(), TECH, "ok"))
        .isInstanceOf(org.schoolgate.store.StoreUnavailableException.class)
        .hasMessageContaining("audit_head row is missing");

    assertThat(unblocks.get(pending.id()).orElseThrow().status()).isEqualTo(UnblockStatus.PENDING);
    assertThat(db.store().audit().query(AuditTrail.Query.all())).extracting(AuditRecord::type)
        .containsExactly("unblock.requested");
  }

  @DatabaseTest
  void revokeEndsAnApprovedUnblockAtOnce(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord approved = approved(unblocks, "a.com", START, Duration.ofHours(1));
    db.clock().advance(Duration.ofMinutes(10));

    UnblockRecord revoked = unblocks.revoke(approved.id(), TECH, "misused");

    assertThat(revoked.status()).isEqualTo(UnblockStatus.REVOKED);
    assertThat(revoked.endedBy()).isEqualTo("tech.tom");
    assertThat(revoked.endedAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(revoked.decidedBy()).isEqualTo("tech.tom");
    assertThat(unblocks.inForce(db.clock().instant())).isEmpty();
    assertThat(only(db, "unblock.revoked").reason()).isEqualTo("misused");
  }

  @DatabaseTest
  void expireDueEndsApprovedUnblocksWhoseTimeIsUpAndIsIdempotent(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord shortOne = approved(unblocks, "short.com", START, Duration.ofMinutes(30));
    UnblockRecord longOne = approved(unblocks, "long.com", START, Duration.ofHours(2));
    UnblockRecord pending = unblocks.request(Unblocks.domain("pending.com", START, Duration.ofMinutes(10)), TEACHER);

    assertThat(unblocks.expireDue(START.plus(Duration.ofMinutes(29)))).isEmpty();
    db.clock().set(START.plus(Duration.ofMinutes(31)));
    List<UnblockRecord> expired = unblocks.expireDue(START.plus(Duration.ofMinutes(30)));

    assertThat(expired).extracting(UnblockRecord::id).containsExactly(shortOne.id());
    UnblockRecord ended = unblocks.get(shortOne.id()).orElseThrow();
    assertThat(ended.status()).isEqualTo(UnblockStatus.EXPIRED);
    assertThat(ended.endedBy()).isEqualTo("system:expiry");
    assertThat(ended.endedAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
    assertThat(unblocks.expireDue(START.plus(Duration.ofMinutes(30)))).isEmpty();
    assertThat(unblocks.get(longOne.id()).orElseThrow().status()).isEqualTo(UnblockStatus.APPROVED);
    assertThat(unblocks.get(pending.id()).orElseThrow().status()).isEqualTo(UnblockStatus.PENDING);
    AuditRecord audit = only(db, "unblock.expired");
    assertThat(audit.actor()).isEqualTo("system:expiry");
    assertThat(audit.at()).isEqualTo(START.plus(Duration.ofMinutes(31)));
  }

  @DatabaseTest
  void expiryFromTwoNodesAtOnceEndsEachUnblockExactlyOnce(TestDatabase db) throws Exception {
    UnblockStore unblocks = db.store().unblocks();
    for (int i = 0; i < 20; i++) {
      approved(unblocks, "site" + i + ".com", START, Duration.ofMinutes(10));
    }
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      Instant later = START.plus(Duration.ofHours(1));
      List<List<UnblockRecord>> results = Concurrently.run(2, i -> (i == 0 ? unblocks : otherNode.unblocks())
          .expireDue(later));

      assertThat(results.get(0).size() + results.get(1).size()).isEqualTo(20);
      assertThat(unblocks.list(new UnblockStore.Query(UnblockStatus.EXPIRED, null, 1000))).hasSize(20);
      assertThat(types(db).stream().filter("unblock.expired"::equals).count()).isEqualTo(20);
      assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
    }
  }

  @DatabaseTest
  void racingDecisionsFromTwoNodesLetExactlyOneWin(TestDatabase db) throws Exception {
    UnblockStore unblocks = db.store().unblocks();
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      for (int round = 0; round < 10; round++) {
        UnblockRecord pending = unblocks.request(Unblocks.domain("race" + round + ".com", START,
            Duration.ofHours(1)), TEACHER);

        List<String> outcomes = Concurrently.run(2, i -> {
          try {
            return i == 0 ? unblocks.approve(pending.id(), TECH, "yes").status().name()
                : otherNode.unblocks().cancel(pending.id(), TEACHER, "never mind").status().name();
          } catch (StoreException e) {
            return e.code();
          }
        });

        assertThat(outcomes).as("round " + round).containsAnyOf("APPROVED", "CANCELLED").contains("conflict");
        UnblockStatus winner = UnblockStatus.valueOf(outcomes.get(0).equals("conflict") ? outcomes.get(1)
            : outcomes.get(0));
        assertThat(unblocks.get(pending.id()).orElseThrow().status()).isEqualTo(winner);
      }
      List<String> types = types(db);
      assertThat(types.stream().filter(t -> t.equals("unblock.approved") || t.equals("unblock.cancelled")).count())
          .isEqualTo(10);
      assertThat(db.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
    }
  }

  @DatabaseTest
  void inForceListsApprovedUnblocksThatHaveNotEnded(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord now = approved(unblocks, "now.com", START, Duration.ofHours(1));
    UnblockRecord future = approved(unblocks, "later.com", START.plus(Duration.ofHours(3)), Duration.ofHours(1));
    UnblockRecord revoked = approved(unblocks, "revoked.com", START, Duration.ofHours(1));
    unblocks.revoke(revoked.id(), TECH, "");
    unblocks.request(Unblocks.domain("pending.com", START, Duration.ofHours(1)), TEACHER);
    UnblockRecord denied = unblocks.request(Unblocks.domain("denied.com", START, Duration.ofHours(1)), TEACHER);
    unblocks.deny(denied.id(), TECH, "no");

    assertThat(unblocks.inForce(START)).extracting(UnblockRecord::id).containsExactly(now.id(), future.id());
    assertThat(unblocks.inForce(START.plus(Duration.ofHours(1)))).extracting(UnblockRecord::id)
        .containsExactly(future.id());
    assertThat(unblocks.inForce(START.plus(Duration.ofHours(4)))).isEmpty();
  }

  @DatabaseTest
  void versionMovesOnWithEveryUnblockChangeOnly(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    long v0 = unblocks.version();
    UnblockRecord r = unblocks.request(Unblocks.domain("a.com", START, Duration.ofHours(1)), TEACHER);
    long v1 = unblocks.version();
    unblocks.approve(r.id(), TECH, "");
    long v2 = unblocks.version();
    db.store().accounts().create("zed", "Zed", "a long enough password".toCharArray(), Set.of(Role.ADMIN), TECH);
    long v3 = unblocks.version();
    assertThatThrownBy(() -> unblocks.approve(r.id(), TECH, ""));
    long v4 = unblocks.version();

    assertThat(v0).isLessThan(v1);
    assertThat(v1).isLessThan(v2);
    assertThat(v3).isEqualTo(v2);
    assertThat(v4).isEqualTo(v2);
  }

  @DatabaseTest
  void listFiltersByStatusAndRequesterNewestFirst(TestDatabase db) {
    Account teacher = db.store().accounts().create("ms.jones", "Ms Jones", "a long enough password".toCharArray(),
        Set.of(Role.TEACHER), TECH);
    Actor jones = Actor.of(teacher, "10.1.4.20");
    UnblockStore unblocks = db.store().unblocks();
    UnblockRecord a = unblocks.request(Unblocks.domain("a.com", START, Duration.ofHours(1)), jones);
    UnblockRecord b = unblocks.request(Unblocks.domain("b.com", START, Duration.ofHours(1)), TEACHER);
    UnblockRecord c = unblocks.request(Unblocks.domain("c.com", START, Duration.ofHours(1)), jones);
    unblocks.approve(c.id(), TECH, "");

    assertThat(unblocks.list(UnblockStore.Query.all())).extracting(UnblockRecord::id)
        .containsExactly(c.id(), b.id(), a.id());
    assertThat(unblocks.list(new UnblockStore.Query(UnblockStatus.PENDING, null, 10))).extracting(UnblockRecord::id)
        .containsExactly(b.id(), a.id());
    assertThat(unblocks.list(new UnblockStore.Query(null, teacher.id(), 10))).extracting(UnblockRecord::id)
        .containsExactly(c.id(), a.id());
    assertThat(unblocks.list(new UnblockStore.Query(null, null, 1))).extracting(UnblockRecord::id)
        .containsExactly(c.id());
    assertThat(a.requestedById()).isEqualTo(teacher.id());
    assertThatThrownBy(() -> unblocks.list(new UnblockStore.Query(null, null, 1001)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("limit"));
  }

  @DatabaseTest
  void changesToAMissingUnblockAreNotFound(TestDatabase db) {
    UnblockStore unblocks = db.store().unblocks();
    UnblockId missing = new UnblockId(777);

    for (Action action : List.of(Action.APPROVE, Action.DENY, Action.CANCEL, Action.REVOKE)) {
      assertThatThrownBy(() -> action.apply(unblocks, missing)).as(action.name())
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }
    assertThat(unblocks.get(missing)).isEmpty();
  }

  /** The five things that can happen to a request. */
  enum Action {
    APPROVE, DENY, CANCEL, REVOKE, EXPIRE;

    /** The status after this action from {@code from}, or null when it is refused. */
    UnblockStatus result(UnblockStatus from) {
      if (from == UnblockStatus.PENDING) {
        switch (this) {
          case APPROVE: return UnblockStatus.APPROVED;
          case DENY: return UnblockStatus.DENIED;
          case CANCEL: return UnblockStatus.CANCELLED;
          default: return null;
        }
      }
      if (from == UnblockStatus.APPROVED) {
        switch (this) {
          case REVOKE: return UnblockStatus.REVOKED;
          case EXPIRE: return UnblockStatus.EXPIRED;
          default: return null;
        }
      }
      return null;
    }

    UnblockRecord apply(UnblockStore unblocks, UnblockId id) {
      switch (this) {
        case APPROVE: return unblocks.approve(id, TECH, "ok");
        case DENY: return unblocks.deny(id, TECH, "no");
        case CANCEL: return unblocks.cancel(id, TEACHER, "not needed");
        case REVOKE: return unblocks.revoke(id, TECH, "stop");
        default: throw new IllegalArgumentException(name());
      }
    }
  }

  private static UnblockRecord inState(UnblockStore unblocks, UnblockStatus status) {
    UnblockRecord r = unblocks.request(Unblocks.domain("x.com", START, Duration.ofHours(1)), TEACHER);
    switch (status) {
      case PENDING: return r;
      case APPROVED: return unblocks.approve(r.id(), TECH, "");
      case DENIED: return unblocks.deny(r.id(), TECH, "");
      case CANCELLED: return unblocks.cancel(r.id(), TEACHER, "");
      case REVOKED:
        unblocks.approve(r.id(), TECH, "");
        return unblocks.revoke(r.id(), TECH, "");
      case EXPIRED:
        unblocks.approve(r.id(), TECH, "");
        unblocks.expireDue(farFuture());
        return unblocks.get(r.id()).orElseThrow();
      default: throw new IllegalArgumentException(status.name());
    }
  }

  private static UnblockRecord approved(UnblockStore unblocks, String host, Instant from, Duration length) {
    UnblockRecord r = unblocks.request(Unblocks.domain(host, from, length), TEACHER);
    return unblocks.approve(r.id(), TECH, "");
  }

  private static Instant farFuture() {
    return START.plus(Duration.ofDays(365));
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

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new java.util.ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
