package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collections;
import java.util.List;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.ProxyAccount;
import org.schoolgate.store.ProxyAccountStore;
import org.schoolgate.store.ProxyAccountStore.Check;
import org.schoolgate.store.StoreException;

class ProxyAccountStoreTest {
  private static final Actor CLI = Actor.system("cli");

  private static char[] password() {
    return "correct horse battery".toCharArray();
  }

  @DatabaseTest
  void aPupilWithTheRightPasswordIsFoundWithTheirGroupsAndNothingElseIs(TestDatabase db) {
    ProxyAccountStore accounts = db.store().proxyAccounts();
    ProxyAccount sam = accounts.create("Sam.Jones", password(), List.of("Year9", "Pupils", "Year9"), CLI);

    assertThat(sam.username()).isEqualTo("sam.jones");
    assertThat(sam.groups()).containsExactly("Year9", "Pupils");
    assertThat(accounts.check("SAM.JONES", password())).isEqualTo(new Check.Found(sam));
    assertThat(accounts.check("sam.jones", "correct horse batterY".toCharArray())).isEqualTo(new Check.WrongPassword());
    assertThat(accounts.check("nobody", password())).isEqualTo(new Check.NoSuchAccount());
    assertThat(accounts.check("*)(uid=*", password())).isEqualTo(new Check.NoSuchAccount());
    assertThat(accounts.check("sam.jones", "x".repeat(5000).toCharArray())).isEqualTo(new Check.NoSuchAccount());
    assertThat(db.reopen().proxyAccounts().byUsername("sam.jones")).contains(sam);
  }

  @DatabaseTest
  void theyAreAListOfTheirOwnApartFromAdminAccounts(TestDatabase db) {
    db.store().proxyAccounts().create("sam", password(), List.of("Year9"), CLI);

    assertThat(db.store().accounts().byUsername("sam")).isEmpty();
    assertThat(db.store().accounts().login("sam", password(), "10.0.0.5"))
        .isInstanceOf(org.schoolgate.store.AccountStore.LoginOutcome.Failed.class);
  }

  @DatabaseTest
  void changesAreAuditedWithoutThePasswordAndRemovingEndsSignIn(TestDatabase db) throws Exception {
    ProxyAccountStore accounts = db.store().proxyAccounts();
    accounts.create("sam", password(), List.of("Year9"), CLI);
    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM proxy_accounts WHERE username = 'sam'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("$argon2id$v=19$");
    }

    assertThat(accounts.remove("SAM", CLI)).isTrue();
    assertThat(accounts.remove("sam", CLI)).isFalse();
    assertThat(accounts.check("sam", password())).isEqualTo(new Check.NoSuchAccount());
    assertThat(accounts.list()).isEmpty();
    List<AuditRecord> records = db.store().audit().query(AuditTrail.Query.all());
    assertThat(records).extracting(AuditRecord::type).containsExactly("proxy-account.created", "proxy-account.removed");
    assertThat(records).extracting(AuditRecord::target).containsOnly("proxy-account:sam");
    assertThat(records.get(0).after()).contains("Year9").doesNotContain("correct horse").doesNotContain("argon2");
  }

  @DatabaseTest
  void badNamesPasswordsAndGroupsAreRefusedWithTheFieldAtFault(TestDatabase db) {
    ProxyAccountStore accounts = db.store().proxyAccounts();
    accounts.create("sam", password(), List.of(), CLI);

    assertThatThrownBy(() -> accounts.create("SAM", password(), List.of(), CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo("username_taken"));
    assertThatThrownBy(() -> accounts.create("*)(uid=*", password(), List.of(), CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("username"));
    assertThatThrownBy(() -> accounts.create("ann", "short".toCharArray(), List.of(), CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("password"));
    assertThatThrownBy(() -> accounts.create("ann", password(), List.of(" "), CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("groups"));
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= ProxyAccountStore.MAX_GROUPS; i++) {
      many.add("group" + i);
    }
    assertThatThrownBy(() -> accounts.create("ann", password(), many, CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.getMessage()).contains("at most 50 groups"));
    assertThatThrownBy(() -> accounts.create("ann", password(), Collections.nCopies(1, "g".repeat(201)), CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("groups"));
    assertThat(accounts.list()).extracting(ProxyAccount::username).containsExactly("sam");
  }
}
