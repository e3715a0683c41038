package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;
import org.schoolgate.store.SecondFactorStore;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.StoreException;

/**
 * What a person does to their own account (checking the current password without a sign-in,
 * changing it while staying signed in here, a new authenticator, new recovery codes, their recent
 * sign-ins) and the groups a teacher teaches, on SQLite and PostgreSQL.
 */
class OwnAccountStoreTest {
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final Actor ADMIN = Actor.system("cli");
  private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String NEW_SECRET = "KRUGS4ZANFZSAYJAONSWG4TFOQQQ2222";

  @DatabaseTest
  void checkingAPasswordRecordsNoSignInAndLeavesTheFailureCountAlone(TestDatabase db) throws Exception {
    AccountStore accounts = db.store().accounts();
    Account amy = accounts.create("amy", "Amy", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    accounts.login("amy", "a wrong password!".toCharArray(), "10.0.0.1");
    int auditBefore = db.store().audit().query(AuditTrail.Query.all()).size();

    assertThat(accounts.passwordMatches(amy.id(), PASSWORD)).isTrue();
    assertThat(accounts.passwordMatches(amy.id(), "not the password".toCharArray())).isFalse();
    assertThat(accounts.passwordMatches(amy.id(), null)).isFalse();

    assertThat(db.store().audit().query(AuditTrail.Query.all())).hasSize(auditBefore);
    assertThat(failedLogins(db, amy)).as("the wrong sign-in before is still counted, nothing more").isEqualTo(1);
  }

  @DatabaseTest
  void aDirectoryAccountHasNoLocalPasswordToCheckOrChange(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account dir = ((LoginOutcome.Success) accounts.directorySignIn("d.khan", "D Khan", Set.of(Role.TEACHER), "x"))
        .account();

    assertThat(accounts.passwordMatches(dir.id(), "directory".toCharArray())).isFalse();
    assertThat(accounts.passwordMatches(dir.id(), "".toCharArray())).isFalse();
    assertThatThrownBy(() -> accounts.setPassword(dir.id(), "a brand new password".toCharArray(),
        Actor.of(dir, "x"), null)).isInstanceOf(StoreException.class).hasMessageContaining("directory");
  }

  @DatabaseTest
  void changingOnesOwnPasswordKeepsThisSessionAndEndsTheOthers(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    SessionStore sessions = db.store().sessions();
    Account amy = accounts.create("amy", "Amy", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    String here = sessions.createSession(amy.id(), Duration.ofHours(8)).token();
    String elsewhere = sessions.createSession(amy.id(), Duration.ofHours(8)).token();
    String api = sessions.createApiToken(amy.id(), "script", TestDatabase.START.plus(Duration.ofDays(30)), ADMIN).token();

    accounts.setPassword(amy.id(), "a brand new password".toCharArray(), Actor.of(amy, "10.0.0.1"), here);

    assertThat(sessions.authenticate(here)).isPresent();
    assertThat(sessions.authenticate(elsewhere)).isEmpty();
    assertThat(sessions.authenticate(api)).as("API tokens stay").isPresent();
    assertThat(accounts.passwordMatches(amy.id(), PASSWORD)).isFalse();
    assertThat(accounts.passwordMatches(amy.id(), "a brand new password".toCharArray())).isTrue();
    AuditRecord changed = db.store().audit().query(new AuditTrail.Query(null, null, null, "account.password_changed",
        0, 10)).get(0);
    assertThat(changed.actor()).isEqualTo("amy");
    assertThat(changed.reason()).contains("1 other session");
    assertThat(changed.toString()).doesNotContain("brand new");
    assertThatThrownBy(() -> accounts.setPassword(amy.id(), "short".toCharArray(), Actor.of(amy, "x"), here))
        .isInstanceOf(StoreException.class).hasMessageContaining("at least 12");
  }

  @DatabaseTest
  void aNewAuthenticatorReplacesTheSecretAndKeepsTheRecoveryCodes(TestDatabase db) {
    Account dsl = db.store().accounts().create("dsl", "DSL", PASSWORD, Set.of(Role.DSL), ADMIN);
    SecondFactorStore factors = db.store().secondFactors();
    assertThatThrownBy(() -> factors.replace(dsl.id(), NEW_SECRET, 200, ADMIN))
        .isInstanceOf(StoreException.class).hasMessageContaining("no second factor");
    factors.enrol(dsl.id(), SECRET, 100, List.of("a".repeat(64), "b".repeat(64)), ADMIN);
    factors.failed(dsl.id(), TestDatabase.START.plusSeconds(60), ADMIN);

    SecondFactorStore.Enrolment e = factors.replace(dsl.id(), NEW_SECRET, 200, Actor.of(dsl, "10.0.0.1"));

    assertThat(e.secret()).isEqualTo(NEW_SECRET);
    assertThat(e.lastStep()).isEqualTo(200);
    assertThat(e.failures()).isZero();
    assertThat(e.lockedUntil()).isNull();
    assertThat(e.recoveryCodesLeft()).isEqualTo(2);
    assertThat(factors.accept(dsl.id(), 200, ADMIN)).as("the proving code is spent").isFalse();
    AuditRecord r = db.store().audit().query(new AuditTrail.Query(null, null, null, "account.second_factor_replaced",
        0, 10)).get(0);
    assertThat(r.target()).isEqualTo("account:dsl");
    assertThat(r.toString()).doesNotContain(NEW_SECRET).doesNotContain(SECRET);
  }

  @DatabaseTest
  void newRecoveryCodesReplaceEveryOldOneAtOnce(TestDatabase db) {
    Account dsl = db.store().accounts().create("dsl", "DSL", PASSWORD, Set.of(Role.DSL), ADMIN);
    SecondFactorStore factors = db.store().secondFactors();
    assertThatThrownBy(() -> factors.replaceRecoveryCodes(dsl.id(), List.of("c".repeat(64)), ADMIN))
        .isInstanceOf(StoreException.class).hasMessageContaining("no second factor");
    factors.enrol(dsl.id(), SECRET, 100, List.of("a".repeat(64), "b".repeat(64)), ADMIN);
    assertThat(factors.useRecoveryCode(dsl.id(), "a".repeat(64), ADMIN)).isTrue();

    int left = factors.replaceRecoveryCodes(dsl.id(), List.of("c".repeat(64), "d".repeat(64), "e".repeat(64)),
        Actor.of(dsl, "10.0.0.1"));

    assertThat(left).isEqualTo(3);
    assertThat(factors.useRecoveryCode(dsl.id(), "b".repeat(64), ADMIN)).as("an old unused code").isFalse();
    assertThat(factors.useRecoveryCode(dsl.id(), "c".repeat(64), ADMIN)).isTrue();
    assertThat(factors.enrolment(dsl.id()).orElseThrow().recoveryCodesLeft()).isEqualTo(2);
    assertThat(db.store().audit().query(new AuditTrail.Query(null, null, null, "account.recovery_codes_replaced",
        0, 10))).singleElement().satisfies(r -> assertThat(r.reason()).contains("3 new").contains("1 unused old"));
    assertThatThrownBy(() -> factors.replaceRecoveryCodes(dsl.id(), List.of("not a hash"), ADMIN))
        .isInstanceOf(StoreException.class);
    assertThat(factors.enrolment(dsl.id()).orElseThrow().recoveryCodesLeft()).as("a refused call changes nothing")
        .isEqualTo(2);
  }

  @DatabaseTest
  void recentSignInsAreTheAccountsOwnSignInStepsNewestFirst(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account amy = accounts.create("amy", "Amy", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    accounts.create("bob", "Bob", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    accounts.login("amy", PASSWORD, "10.0.0.1");
    db.clock().advance(Duration.ofMinutes(1));
    accounts.login("amy", "wrong password!!".toCharArray(), "10.0.0.2");
    accounts.login("bob", PASSWORD, "10.0.0.3");
    accounts.setRoles(amy.id(), Set.of(Role.TEACHER, Role.TECHNICIAN), ADMIN, "IT club");
    db.clock().advance(Duration.ofMinutes(1));
    accounts.login("amy", PASSWORD, "10.0.0.4");

    List<AuditRecord> recent = accounts.recentSignIns(amy.id(), 20);

    assertThat(recent).extracting(AuditRecord::type).containsExactly("login", "login.failed", "login");
    assertThat(recent).extracting(AuditRecord::address).containsExactly("10.0.0.4", "10.0.0.2", "10.0.0.1");
    assertThat(accounts.recentSignIns(amy.id(), 2)).hasSize(2);
    assertThatThrownBy(() -> accounts.recentSignIns(amy.id(), 0)).isInstanceOf(StoreException.class);
  }

  @DatabaseTest
  void taughtGroupsAreReplacedSortedAndAuditedWithBeforeAndAfter(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account amy = accounts.create("amy", "Amy", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    Account bob = accounts.create("bob", "Bob", PASSWORD, Set.of(Role.TEACHER), ADMIN);
    assertThat(accounts.taughtGroups(amy.id())).isEmpty();

    assertThat(accounts.setTaughtGroups(amy.id(), List.of("ks3-4", "ks2", " ks3-4 "), ADMIN, "timetable"))
        .containsExactly("ks2", "ks3-4");
    accounts.setTaughtGroups(bob.id(), List.of("sixth-form"), ADMIN, null);
    assertThat(accounts.setTaughtGroups(amy.id(), List.of("staff", "ks2"), ADMIN, "new term"))
        .containsExactly("ks2", "staff");

    assertThat(accounts.taughtGroups(amy.id())).containsExactly("ks2", "staff");
    assertThat(accounts.taughtGroups(bob.id())).containsExactly("sixth-form");
    List<AuditRecord> changes = db.store().audit().query(new AuditTrail.Query(null, null, null,
        "account.groups_changed", 0, 10));
    assertThat(changes).hasSize(3);
    assertThat(changes.get(2).target()).isEqualTo("account:amy");
    assertThat(changes.get(2).reason()).isEqualTo("new term");
    assertThat(changes.get(2).before()).isEqualTo("{\"groups\":[\"ks2\",\"ks3-4\"]}");
    assertThat(changes.get(2).after()).isEqualTo("{\"groups\":[\"ks2\",\"staff\"]}");
    accounts.setTaughtGroups(amy.id(), List.of("staff", "ks2"), ADMIN, "no change");
    assertThat(db.store().audit().query(new AuditTrail.Query(null, null, null, "account.groups_changed", 0, 10)))
        .as("an unchanged list is not a change").hasSize(3);
    assertThat(accounts.setTaughtGroups(amy.id(), List.of(), ADMIN, "left")).isEmpty();
    assertThat(accounts.taughtGroups(amy.id())).isEmpty();
    assertThatThrownBy(() -> accounts.setTaughtGroups(bob.id(), List.of("ks2", "<script>"), ADMIN, null))
        .isInstanceOf(StoreException.class).hasMessageContaining("is not a group name");
    assertThat(accounts.taughtGroups(bob.id())).containsExactly("sixth-form");
    assertThatThrownBy(() -> accounts.setTaughtGroups(new org.schoolgate.store.AccountId(9999), List.of("ks2"),
        ADMIN, null)).isInstanceOf(StoreException.class).hasMessageContaining("does not exist");
  }

  private static int failedLogins(TestDatabase db, Account a) throws Exception {
    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("SELECT failed_logins FROM accounts WHERE id = ?")) {
      ps.setLong(1, a.id().value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
