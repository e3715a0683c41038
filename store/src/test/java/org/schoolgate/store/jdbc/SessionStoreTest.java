package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.SessionStore.IssuedToken;
import org.schoolgate.store.SessionStore.Principal;
import org.schoolgate.store.StoreException;

class SessionStoreTest {
  private static final Actor ADMIN = Actor.system("cli");

  @DatabaseTest
  void sessionAuthenticatesUntilItExpires(TestDatabase db) {
    Account amy = account(db, "amy");
    SessionStore sessions = db.store().sessions();

    IssuedToken issued = sessions.createSession(amy.id(), Duration.ofHours(8));

    assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(issued.expiresAt()).isEqualTo(TestDatabase.START.plus(Duration.ofHours(8)));
    assertThat(sessions.authenticate(issued.token())).contains(new Principal(amy, Principal.Kind.SESSION));
    db.clock().advance(Duration.ofHours(8).minusNanos(1000));
    assertThat(sessions.authenticate(issued.token())).isPresent();
    db.clock().advance(Duration.ofNanos(1000));
    assertThat(sessions.authenticate(issued.token())).isEmpty();
  }

  @DatabaseTest
  void tokensAreRandomAndOnlyTheirSha256IsStored(TestDatabase db) throws Exception {
    Account ben = account(db, "ben");
    SessionStore sessions = db.store().sessions();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(sessions.createSession(ben.id(), Duration.ofHours(1)).token());
    }
    tokens.add(sessions.createApiToken(ben.id(), "backup script", TestDatabase.START.plus(Duration.ofDays(30)), ADMIN)
        .token());

    assertThat(tokens).doesNotHaveDuplicates();
    List<String> stored = new ArrayList<>();
    try (Connection c = db.raw(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM tokens ORDER BY id")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          String value = rs.getString(i);
          if (value == null) {
            continue;
          }
          for (String token : tokens) {
            assertThat(value).as("column " + rs.getMetaData().getColumnName(i)).doesNotContain(token);
          }
        }
        stored.add(rs.getString("token_hash"));
      }
    }
    assertThat(stored).containsExactlyElementsOf(tokens.stream().map(Tokens::sha256Hex).toList());
  }

  @DatabaseTest
  void revokedSessionStopsWorkingAndUnknownTokensAreIgnored(TestDatabase db) {
    Account cat = account(db, "cat");
    SessionStore sessions = db.store().sessions();
    IssuedToken first = sessions.createSession(cat.id(), Duration.ofHours(1));
    IssuedToken second = sessions.createSession(cat.id(), Duration.ofHours(1));

    sessions.revoke(first.token(), Actor.of(cat, "10.0.0.1"));
    sessions.revoke("not-a-token", Actor.of(cat, "10.0.0.1"));
    sessions.revoke(Tokens.newToken(), Actor.of(cat, "10.0.0.1"));

    assertThat(sessions.authenticate(first.token())).isEmpty();
    assertThat(sessions.authenticate(second.token())).isPresent();
    assertThat(lastType(db)).isEqualTo("logout");
  }

  @DatabaseTest
  void apiTokenAuthenticatesAsApiTokenIsListedWithoutItsValueAndIsAudited(TestDatabase db) {
    Account dan = account(db, "dan");
    SessionStore sessions = db.store().sessions();
    Instant expires = TestDatabase.START.plus(Duration.ofDays(90));

    IssuedToken issued = sessions.createApiToken(dan.id(), "nightly export", expires, Actor.of(dan, "10.0.0.2"));

    assertThat(sessions.authenticate(issued.token())).contains(new Principal(dan, Principal.Kind.API_TOKEN));
    List<SessionStore.ApiTokenInfo> listed = sessions.apiTokens(dan.id());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).name()).isEqualTo("nightly export");
    assertThat(listed.get(0).createdAt()).isEqualTo(TestDatabase.START);
    assertThat(listed.get(0).expiresAt()).isEqualTo(expires);
    assertThat(listed.get(0).toString()).doesNotContain(issued.token());
    assertThat(issued.toString()).doesNotContain(issued.token());
    AuditRecord created = db.store().audit().query(AuditTrail.Query.all()).stream()
        .filter(r -> r.type().equals("token.created")).findFirst().orElseThrow();
    assertThat(created.after()).contains("nightly export").doesNotContain(issued.token());

    sessions.revoke(issued.token(), Actor.of(dan, "10.0.0.2"));

    assertThat(sessions.authenticate(issued.token())).isEmpty();
    assertThat(sessions.apiTokens(dan.id())).isEmpty();
    assertThat(lastType(db)).isEqualTo("token.revoked");
  }

  @DatabaseTest
  void apiTokenExpiresByTheClock(TestDatabase db) {
    Account eve = account(db, "eve");
    SessionStore sessions = db.store().sessions();
    IssuedToken issued = sessions.createApiToken(eve.id(), "ci", TestDatabase.START.plusSeconds(60), ADMIN);

    db.clock().advance(Duration.ofSeconds(60));

    assertThat(sessions.authenticate(issued.token())).isEmpty();
  }

  @DatabaseTest
  void apiTokenNeedsANameAndAFutureExpiry(TestDatabase db) {
    Account fay = account(db, "fay");
    SessionStore sessions = db.store().sessions();

    assertThatThrownBy(() -> sessions.createApiToken(fay.id(), " ", TestDatabase.START.plusSeconds(60), ADMIN))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> sessions.createApiToken(fay.id(), "ci", TestDatabase.START, ADMIN))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
  }

  @DatabaseTest
  void disablingAnAccountStopsItsSessionsAndApiTokens(TestDatabase db) {
    Account gus = account(db, "gus");
    SessionStore sessions = db.store().sessions();
    IssuedToken session = sessions.createSession(gus.id(), Duration.ofHours(1));
    IssuedToken api = sessions.createApiToken(gus.id(), "script", TestDatabase.START.plus(Duration.ofDays(1)), ADMIN);

    db.store().accounts().setDisabled(gus.id(), true, ADMIN, "suspended");

    assertThat(sessions.authenticate(session.token())).isEmpty();
    assertThat(sessions.authenticate(api.token())).isEmpty();
  }

  @DatabaseTest
  void malformedTokensNeverAuthenticate(TestDatabase db) {
    SessionStore sessions = db.store().sessions();

    assertThat(sessions.authenticate(null)).isEmpty();
    assertThat(sessions.authenticate("")).isEmpty();
    assertThat(sessions.authenticate("' OR 1=1 --")).isEmpty();
    assertThat(sessions.authenticate(Tokens.newToken())).isEmpty();
  }

  private static Account account(TestDatabase db, String name) {
    return db.store().accounts().create(name, name, "a long enough password".toCharArray(), Set.of(Role.TEACHER),
        ADMIN);
  }

  private static String lastType(TestDatabase db) {
    List<AuditRecord> all = db.store().audit().query(AuditTrail.Query.all());
    return all.get(all.size() - 1).type();
  }
}
