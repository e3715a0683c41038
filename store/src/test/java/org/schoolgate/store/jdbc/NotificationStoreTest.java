package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.Notification;
import org.schoolgate.store.NotificationEmail;
import org.schoolgate.store.NotificationStore;
import org.schoolgate.store.Role;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.UnblockRecord;

class NotificationStoreTest {
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final Actor CLI = Actor.system("cli");

  private static Account account(TestDatabase db, String name, Role... roles) {
    return db.store().accounts().create(name, name, PASSWORD, Set.of(roles), CLI);
  }

  private static NewUnblock request(boolean sensitive, UnblockTarget target) {
    return new NewUnblock(target, new UnblockScope(Set.of(new GroupId("ks2")), Set.of(), List.of()),
        TestDatabase.START, TestDatabase.START.plus(Duration.ofHours(1)), "Year 6 Romans topic", sensitive,
        sensitive ? "violence" : "games");
  }

  @DatabaseTest
  void anOrdinaryRequestTellsEveryTechnicianButNotTheRequesterOrOtherRoles(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account tech1 = account(db, "tech.tom", Role.TECHNICIAN);
    Account tech2 = account(db, "tech.tia", Role.TECHNICIAN, Role.TEACHER);
    Account dsl = account(db, "dsl.dee", Role.DSL);

    UnblockRecord r = db.store().unblocks().request(request(false, new UnblockTarget.Domain("bbc.co.uk")),
        Actor.of(teacher, "10.1.4.20"));

    NotificationStore n = db.store().notifications();
    for (Account tech : List.of(tech1, tech2)) {
      List<Notification> got = n.list(tech.id(), true, 10);
      assertThat(got).singleElement().satisfies(x -> {
        assertThat(x.kind()).isEqualTo(Notification.Kinds.UNBLOCK_REQUESTED);
        assertThat(x.link()).isEqualTo("/unblocks/" + r.id());
        assertThat(x.subject()).isEqualTo("Unblock request " + r.id() + ": domain:bbc.co.uk for groups ks2"
            + " (asked by ms.jones)");
        assertThat(x.body()).contains("Reason: Year 6 Romans topic");
        assertThat(x.emailState()).isEqualTo(Notification.EmailState.NONE);
      });
      assertThat(n.unreadCount(tech.id())).isEqualTo(1);
    }
    assertThat(n.list(teacher.id(), false, 10)).isEmpty();
    assertThat(n.list(dsl.id(), false, 10)).isEmpty();
  }

  @DatabaseTest
  void aSensitiveRequestGoesToTheDslAndSeniorLeadersAndABypassToSeniorLeadersOnly(TestDatabase db) {
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    Account dsl = account(db, "dsl.dee", Role.DSL);
    Account head = account(db, "head.hal", Role.SENIOR_LEADER);

    db.store().unblocks().request(request(true, new UnblockTarget.Category(new CategoryId("violence"))),
        Actor.of(tech, null));
    db.store().unblocks().request(request(false, new UnblockTarget.Everything()), Actor.of(tech, null));

    NotificationStore n = db.store().notifications();
    assertThat(n.list(tech.id(), false, 10)).isEmpty();
    assertThat(n.list(dsl.id(), false, 10)).extracting(Notification::subject)
        .containsExactly("Sensitive unblock request 1: category:violence for groups ks2 (asked by tech.tom)");
    assertThat(n.list(head.id(), false, 10)).extracting(Notification::subject).containsExactly(
        "Filter bypass request 2: everything for groups ks2 (asked by tech.tom)",
        "Sensitive unblock request 1: category:violence for groups ks2 (asked by tech.tom)");
  }

  @DatabaseTest
  void withoutTechniciansAnOrdinaryRequestGoesToWhoeverMayApproveIt(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account dsl = account(db, "dsl.dee", Role.DSL);

    db.store().unblocks().request(request(false, new UnblockTarget.Domain("bbc.co.uk")), Actor.of(teacher, null));

    assertThat(db.store().notifications().unreadCount(dsl.id())).isEqualTo(1);
  }

  @DatabaseTest
  void theRequesterIsToldOfTheDecisionWithTheNote(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    UnblockRecord approved = db.store().unblocks().request(request(false, new UnblockTarget.Domain("a.example")),
        Actor.of(teacher, null));
    UnblockRecord denied = db.store().unblocks().request(request(false, new UnblockTarget.Domain("b.example")),
        Actor.of(teacher, null));

    db.store().unblocks().approve(approved.id(), Actor.of(tech, null), "enjoy the lesson");
    db.store().unblocks().deny(denied.id(), Actor.of(tech, null), "use the library copy");

    List<Notification> got = db.store().notifications().list(teacher.id(), false, 10);
    assertThat(got).extracting(Notification::kind).containsExactly(Notification.Kinds.UNBLOCK_DENIED,
        Notification.Kinds.UNBLOCK_APPROVED);
    assertThat(got.get(0).subject()).isEqualTo("Your unblock request 2 (domain:b.example) was denied by tech.tom");
    assertThat(got.get(0).body()).isEqualTo("Not unblocked.\nNote: use the library copy");
    assertThat(got.get(1).link()).isEqualTo("/unblocks/1");
  }

  @DatabaseTest
  void readStateIsPerAccountAndOthersCannotMarkYours(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    db.store().unblocks().request(request(false, new UnblockTarget.Domain("a.example")), Actor.of(teacher, null));
    db.store().unblocks().request(request(false, new UnblockTarget.Domain("b.example")), Actor.of(teacher, null));
    NotificationStore n = db.store().notifications();
    Notification first = n.list(tech.id(), false, 10).get(1);

    assertThatThrownBy(() -> n.markRead(first.id(), teacher.id()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    db.clock().advance(Duration.ofMinutes(3));
    Notification read = n.markRead(first.id(), tech.id());

    assertThat(read.readAt()).isEqualTo(TestDatabase.START.plus(Duration.ofMinutes(3)));
    assertThat(n.unreadCount(tech.id())).isEqualTo(1);
    assertThat(n.list(tech.id(), true, 10)).extracting(Notification::id).doesNotContain(first.id());
    assertThat(n.markAllRead(tech.id())).isEqualTo(1);
    assertThat(n.unreadCount(tech.id())).isZero();
  }

  @DatabaseTest
  void anAccountWithAnAddressGetsAnEmailCopyClaimedWithALease(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    NotificationStore n = db.store().notifications();
    n.setEmail(tech.id(), "tech.tom@school.example", CLI);
    db.store().unblocks().request(request(false, new UnblockTarget.Domain("a.example")), Actor.of(teacher, null));

    List<NotificationEmail> claimed = n.claimDueEmails(db.clock().instant(), Duration.ofMinutes(2), 10);

    assertThat(claimed).singleElement().satisfies(e -> {
      assertThat(e.to()).isEqualTo("tech.tom@school.example");
      assertThat(e.link()).isEqualTo("/unblocks/1");
      assertThat(e.attempts()).isEqualTo(1);
    });
    assertThat(n.claimDueEmails(db.clock().instant(), Duration.ofMinutes(2), 10)).isEmpty();
    assertThat(n.oldestPendingEmail()).contains(TestDatabase.START);
    assertThat(n.emailRetry(claimed.get(0).id(), db.clock().instant(), "421 try later")).isTrue();
    NotificationEmail again = n.claimDueEmails(db.clock().instant(), Duration.ofMinutes(2), 10).get(0);
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(again.lastError()).isEqualTo("421 try later");
    assertThat(n.emailSent(again.id(), db.clock().instant())).isTrue();
    assertThat(n.emailSent(again.id(), db.clock().instant())).isFalse();
    assertThat(n.oldestPendingEmail()).isEmpty();
    assertThat(n.list(tech.id(), false, 1).get(0).emailState()).isEqualTo(Notification.EmailState.SENT);
  }

  @DatabaseTest
  void anEmailAddressIsValidatedAndItsChangeAudited(TestDatabase db) {
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    NotificationStore n = db.store().notifications();

    assertThatThrownBy(() -> n.setEmail(tech.id(), "tech.tom at school", CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid");
          assertThat(e.getMessage()).isEqualTo("'tech.tom at school' is not an email address (expected e.g."
              + " j.smith@school.example, or null to remove it)");
        });
    n.setEmail(tech.id(), " tech.tom@school.example ", CLI);
    n.setEmail(tech.id(), null, CLI);

    assertThat(n.email(tech.id())).isEmpty();
    List<AuditRecord> changes = db.store().audit().query(AuditTrail.Query.all()).stream()
        .filter(a -> a.type().equals("account.email_changed")).toList();
    assertThat(changes).hasSize(2);
    assertThat(changes).anySatisfy(a -> {
      assertThat(a.before()).isNull();
      assertThat(a.after()).isEqualTo("{\"email\":\"tech.tom@school.example\"}");
    });
  }

  @DatabaseTest
  void disabledAccountsAreNotNotified(TestDatabase db) {
    Account teacher = account(db, "ms.jones", Role.TEACHER);
    Account tech = account(db, "tech.tom", Role.TECHNICIAN);
    Account gone = account(db, "tech.gone", Role.TECHNICIAN);
    db.store().accounts().setDisabled(gone.id(), true, CLI, "left the school");

    db.store().unblocks().request(request(false, new UnblockTarget.Domain("a.example")), Actor.of(teacher, null));

    assertThat(db.store().notifications().unreadCount(tech.id())).isEqualTo(1);
    assertThat(db.store().notifications().unreadCount(gone.id())).isZero();
  }
}
