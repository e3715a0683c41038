package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/** Admin sign-in with directory credentials: accounts made and kept in step with directory groups. */
class DirectorySignInTest {
  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

  @DatabaseTest
  void theFirstSignInMakesAnAccountWithTheRolesOfTheDirectoryGroups(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    LoginOutcome first = accounts.directorySignIn("A.Khan", "Aisha Khan", Set.of(Role.DSL), "10.30.0.5");

    assertThat(first).isInstanceOfSatisfying(LoginOutcome.Success.class, s -> {
      assertThat(s.account().username()).isEqualTo("a.khan");
      assertThat(s.account().roles()).containsExactly(Role.DSL);
      assertThat(s.account().directory()).isTrue();
    });
    assertThat(types(db)).containsExactly("account.created", "login");
    assertThat(records(db).get(0).actor()).isEqualTo("system:directory");
    // no local password: nothing typed at the local sign-in gets in
    assertThat(accounts.login("a.khan", "directory".toCharArray(), "10.30.0.5")).isInstanceOf(LoginOutcome.Failed.class);
  }

  @DatabaseTest
  void rolesFollowTheDirectoryGroupsAtEachSignInAndNoneRefuses(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    accounts.directorySignIn("a.khan", null, Set.of(Role.DSL), "10.30.0.5");

    LoginOutcome promoted = accounts.directorySignIn("a.khan", null, EnumSet.of(Role.DSL, Role.SENIOR_LEADER), "x");
    assertThat(((LoginOutcome.Success) promoted).account().roles()).containsExactlyInAnyOrder(Role.DSL,
        Role.SENIOR_LEADER);
    LoginOutcome removed = accounts.directorySignIn("a.khan", null, Set.of(), "10.30.0.5");
    assertThat(removed).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.byUsername("a.khan").orElseThrow().roles()).isEmpty();
    assertThat(types(db)).containsExactly("account.created", "login", "account.roles_changed", "login",
        "account.roles_changed", "login.failed");
    // someone in no mapped group never gets an account
    assertThat(accounts.directorySignIn("pupil", null, Set.of(), "10.20.1.5")).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.byUsername("pupil")).isEmpty();
  }

  @DatabaseTest
  void aLocalAccountOfTheSameNameIsNeverTakenOverAndDisabledOnesStayOut(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account admin = accounts.create("admin", "Admin", PASSWORD, Set.of(Role.ADMIN), Actor.system("cli"));

    assertThat(accounts.directorySignIn("admin", null, Set.of(Role.TEACHER), "10.30.0.5"))
        .isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.byUsername("admin")).contains(admin);
    assertThat(accounts.login("admin", PASSWORD, "10.30.0.5")).isInstanceOf(LoginOutcome.Success.class);

    Account dsl = ((LoginOutcome.Success) accounts.directorySignIn("a.khan", null, Set.of(Role.DSL), "x")).account();
    accounts.setDisabled(dsl.id(), true, Actor.system("cli"), "left the school");
    assertThat(accounts.directorySignIn("a.khan", null, Set.of(Role.DSL), "x")).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.directoryRefused("a.khan", "x")).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.directoryRefused("*)(uid=*", "x")).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(records(db)).filteredOn(r -> r.type().equals("login.failed")).extracting(AuditRecord::reason)
        .contains("account disabled", "unknown username");
  }

  private static List<AuditRecord> records(TestDatabase db) {
    return db.store().audit().query(AuditTrail.Query.all());
  }

  private static List<String> types(TestDatabase db) {
    return records(db).stream().map(AuditRecord::type).toList();
  }
}
