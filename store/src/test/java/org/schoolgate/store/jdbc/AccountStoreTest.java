package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;
import org.schoolgate.store.StoreException;

class AccountStoreTest {
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final Actor ADMIN = Actor.system("cli");

  @DatabaseTest
  void createdAccountCanBeReadBackByIdAndCaseInsensitiveUsername(TestDatabase db) {
    AccountStore accounts = db.store().accounts();

    Account alice = accounts.create("Alice.Smith", "Alice Smith", PASSWORD, Set.of(Role.TEACHER, Role.DSL), ADMIN);

    assertThat(alice.username()).isEqualTo("alice.smith");
    assertThat(alice.roles()).containsExactlyInAnyOrder(Role.TEACHER, Role.DSL);
    assertThat(alice.disabled()).isFalse();
    assertThat(alice.createdAt()).isEqualTo(TestDatabase.START);
    assertThat(accounts.byId(alice.id())).contains(alice);
    assertThat(accounts.byUsername("ALICE.SMITH")).contains(alice);
    assertThat(accounts.count()).isEqualTo(1);
    assertThat(accounts.list()).containsExactly(alice);
  }

  @DatabaseTest
  void creationIsAuditedWithRolesButNeverThePassword(TestDatabase db) {
    db.store().accounts().create("bob", "Bob", PASSWORD, Set.of(Role.TECHNICIAN), ADMIN);

    List<AuditRecord> records = db.store().audit().query(AuditTrail.Query.all());
    assertThat(records).hasSize(1);
    AuditRecord created = records.get(0);
    assertThat(created.type()).isEqualTo("account.created");
    assertThat(created.actor()).isEqualTo("system:cli");
    assertThat(created.target()).isEqualTo("account:bob");
    assertThat(created.after()).contains("\"technician\"").doesNotContain("correct horse").doesNotContain("argon2");
  }

  @DatabaseTest
  void passwordIsStoredAsAnArgon2idPhcString(TestDatabase db) throws Exception {
    Account bob = db.store().accounts().create("bob", "Bob", PASSWORD, Set.of(), ADMIN);

    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM accounts WHERE id = ?")) {
      ps.setLong(1, bob.id().value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
      }
    }
  }

  @DatabaseTest
  void duplicateUsernameInAnyCaseIsRefused(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    accounts.create("carol", "Carol", PASSWORD, Set.of(), ADMIN);

    assertThatThrownBy(() -> accounts.create("CAROL", "Other Carol", PASSWORD, Set.of(), ADMIN))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("username_taken");
          assertThat(e.field()).isEqualTo("username");
        });
    assertThat(accounts.count()).isEqualTo(1);
  }

  @DatabaseTest
  void shortPasswordAndBadUsernamesAreRefusedWithTheFieldAtFault(TestDatabase db) {
    AccountStore accounts = db.store().accounts();

    assertThatThrownBy(() -> accounts.create("dave", "Dave", "eleven chrs".toCharArray(), Set.of(), ADMIN))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid");
          assertThat(e.field()).isEqualTo("password");
          assertThat(e.getMessage()).contains("at least 12 characters");
        });
    for (String bad : List.of("", "dave smith", "dave@school", "d".repeat(65), "dävé")) {
      assertThatThrownBy(() -> accounts.create(bad, "Dave", PASSWORD, Set.of(), ADMIN))
          .as(bad)
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("username"));
    }
    assertThat(accounts.create("d".repeat(64), "Dave", PASSWORD, Set.of(), ADMIN).username()).hasSize(64);
    assertThat(accounts.count()).isEqualTo(1);
  }

  @DatabaseTest
  void rightPasswordSignsInAndIsAudited(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account erin = accounts.create("erin", "Erin", PASSWORD, Set.of(Role.GOVERNOR), ADMIN);

    LoginOutcome outcome = accounts.login("Erin", PASSWORD, "10.0.0.7");

    assertThat(outcome).isEqualTo(new LoginOutcome.Success(erin));
    AuditRecord last = last(db);
    assertThat(last.type()).isEqualTo("login");
    assertThat(last.actor()).isEqualTo("erin");
    assertThat(last.address()).isEqualTo("10.0.0.7");
  }

  @DatabaseTest
  void wrongPasswordAndUnknownUsernameFailAlikeAndAreAudited(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    accounts.create("frank", "Frank", PASSWORD, Set.of(), ADMIN);

    LoginOutcome wrong = accounts.login("frank", "not the password".toCharArray(), "10.0.0.8");
    LoginOutcome unknown = accounts.login("nobody", PASSWORD, "10.0.0.9");

    assertThat(wrong).isInstanceOf(LoginOutcome.Failed.class).isEqualTo(unknown);
    List<AuditRecord> failures = db.store().audit().query(
        new AuditTrail.Query(null, null, null, "login.failed", 0, 100));
    assertThat(failures).extracting(AuditRecord::actor).containsExactly("frank", "nobody");
    assertThat(failures).extracting(AuditRecord::reason)
        .containsExactly("wrong password (1 in a row)", "unknown username");
    assertThat(failures).allSatisfy(r -> assertThat(r.toString()).doesNotContain("correct horse", "not the password"));
  }

  @DatabaseTest
  void somethingThatCannotBeAUsernameIsNotWrittenToTheAuditTrail(TestDatabase db) {
    LoginOutcome outcome = db.store().accounts().login("My Secret Passw0rd!", "x".toCharArray(), "10.0.0.9");

    assertThat(outcome).isInstanceOf(LoginOutcome.Failed.class);
    AuditRecord failed = last(db);
    assertThat(failed.type()).isEqualTo("login.failed");
    assertThat(failed.actor()).isEqualTo("(invalid username)");
    assertThat(failed.toString()).doesNotContain("Secret");
  }

  @DatabaseTest
  void wrongPasswordsNeverLockTheAccountSoTheOwnerCanStillSignIn(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    accounts.create("gina", "Gina", PASSWORD, Set.of(), ADMIN);
    char[] wrong = "wrong password!".toCharArray();

    for (int i = 1; i <= 50; i++) {
      assertThat(accounts.login("gina", wrong, "192.0.2.66")).as("failure " + i)
          .isEqualTo(new LoginOutcome.Failed(LoginRecorder.WRONG));
    }
    assertThat(last(db).reason()).isEqualTo("wrong password (50 in a row)");
    assertThat(last(db).address()).isEqualTo("192.0.2.66");

    assertThat(accounts.login("gina", PASSWORD, "192.0.2.10")).isInstanceOf(LoginOutcome.Success.class);
    assertThat(last(db).type()).isEqualTo("login");
    assertThat(last(db).address()).isEqualTo("192.0.2.10");
  }

  @DatabaseTest
  void aSuccessStartsTheFailureCountAfresh(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    accounts.create("hal", "Hal", PASSWORD, Set.of(), ADMIN);
    char[] wrong = "wrong password!".toCharArray();
    accounts.login("hal", wrong, null);
    accounts.login("hal", wrong, null);
    accounts.login("hal", PASSWORD, null);

    accounts.login("hal", wrong, null);

    assertThat(last(db).reason()).isEqualTo("wrong password (1 in a row)");
  }

  @DatabaseTest
  void disabledAccountCannotSignInAndCanBeReEnabled(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account jo = accounts.create("jo", "Jo", PASSWORD, Set.of(Role.TEACHER), ADMIN);

    Account disabled = accounts.setDisabled(jo.id(), true, ADMIN, "left the school");

    assertThat(disabled.disabled()).isTrue();
    assertThat(accounts.login("jo", PASSWORD, null)).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(last(db).reason()).isEqualTo("account disabled");
    accounts.setDisabled(jo.id(), false, ADMIN, "came back");
    assertThat(accounts.login("jo", PASSWORD, null)).isInstanceOf(LoginOutcome.Success.class);
    assertThat(types(db)).containsSubsequence("account.disabled", "login.failed", "account.enabled", "login");
  }

  @DatabaseTest
  void rolesChangeIsAuditedWithBeforeAndAfter(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account kim = accounts.create("kim", "Kim", PASSWORD, Set.of(Role.TEACHER), ADMIN);

    Account changed = accounts.setRoles(kim.id(), EnumSet.of(Role.TEACHER, Role.SENIOR_LEADER), ADMIN, "promoted");

    assertThat(changed.roles()).containsExactlyInAnyOrder(Role.TEACHER, Role.SENIOR_LEADER);
    assertThat(accounts.byId(kim.id()).orElseThrow().roles()).isEqualTo(changed.roles());
    AuditRecord record = last(db);
    assertThat(record.type()).isEqualTo("account.roles_changed");
    assertThat(record.reason()).isEqualTo("promoted");
    assertThat(record.before()).contains("[\"teacher\"]");
    assertThat(record.after()).contains("[\"teacher\",\"senior-leader\"]");
  }

  @DatabaseTest
  void newPasswordReplacesTheOldOneAndClearsALockOut(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account lee = accounts.create("lee", "Lee", PASSWORD, Set.of(), ADMIN);
    for (int i = 1; i <= 5; i++) {
      accounts.login("lee", "wrong password!".toCharArray(), null);
    }
    char[] fresh = "a brand new passphrase".toCharArray();

    accounts.setPassword(lee.id(), fresh, ADMIN);

    assertThat(accounts.login("lee", PASSWORD, null)).isInstanceOf(LoginOutcome.Failed.class);
    assertThat(accounts.login("lee", fresh, null)).isInstanceOf(LoginOutcome.Success.class);
    assertThat(types(db)).contains("account.password_changed");
    assertThatThrownBy(() -> accounts.setPassword(lee.id(), "short".toCharArray(), ADMIN))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("password"));
  }

  @DatabaseTest
  void aNewPasswordEndsTheAccountsSessionsButKeepsItsApiTokens(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    Account lee = accounts.create("lee", "Lee", PASSWORD, Set.of(), ADMIN);
    String session = db.store().sessions().createSession(lee.id(), Duration.ofHours(1)).token();
    String script = db.store().sessions().createApiToken(lee.id(), "cron",
        db.clock().instant().plus(Duration.ofDays(1)), ADMIN).token();

    accounts.setPassword(lee.id(), "a brand new passphrase".toCharArray(), ADMIN);

    assertThat(db.store().sessions().authenticate(session)).as("session signed out").isEmpty();
    assertThat(db.store().sessions().authenticate(script)).as("API token kept").isPresent();
  }

  @DatabaseTest
  void changesToAMissingAccountAreNotFound(TestDatabase db) {
    AccountStore accounts = db.store().accounts();
    AccountId missing = new AccountId(4242);

    assertThatThrownBy(() -> accounts.setRoles(missing, Set.of(), ADMIN, ""))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    assertThatThrownBy(() -> accounts.setDisabled(missing, true, ADMIN, ""))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    assertThat(accounts.byId(missing)).isEmpty();
    assertThat(db.store().audit().query(AuditTrail.Query.all())).isEmpty();
  }

  @DatabaseTest
  void loginRehashesAPasswordMadeWithOtherArgon2Parameters(TestDatabase db) throws Exception {
    PasswordHasher old = new PasswordHasher(32, 1, 1);
    try (JdbcStore before = JdbcStore.open(db.config(), db.clock(), old)) {
      before.accounts().create("mo", "Mo", PASSWORD, Set.of(), ADMIN);
    }
    assertThat(storedHash(db, "mo")).startsWith("$argon2id$v=19$m=32,t=1,p=1$");

    assertThat(db.store().accounts().login("mo", PASSWORD, null)).isInstanceOf(LoginOutcome.Success.class);

    assertThat(storedHash(db, "mo")).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(db.store().accounts().login("mo", PASSWORD, null)).isInstanceOf(LoginOutcome.Success.class);
  }

  @DatabaseTest
  void concurrentWrongPasswordsAreAllCounted(TestDatabase db) throws Exception {
    AccountStore accounts = db.store().accounts();
    accounts.create("nia", "Nia", PASSWORD, Set.of(), ADMIN);

    List<LoginOutcome> outcomes = Concurrently.run(4, i -> accounts.login("nia", "wrong password!".toCharArray(),
        null));
    accounts.login("nia", "wrong password!".toCharArray(), null);

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(LoginOutcome.Failed.class));
    assertThat(last(db).reason()).isEqualTo("wrong password (5 in a row)");
  }

  private static String storedHash(TestDatabase db, String username) throws Exception {
    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM accounts WHERE username = ?")) {
      ps.setString(1, username);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static AuditRecord last(TestDatabase db) {
    List<AuditRecord> all = db.store().audit().query(AuditTrail.Query.all());
    return all.get(all.size() - 1);
  }

  private static List<String> types(TestDatabase db) {
    return db.store().audit().query(AuditTrail.Query.all()).stream().map(AuditRecord::type)
        .collect(Collectors.toList());
  }
}
