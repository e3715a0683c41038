package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.client.ForwardingTrust;
import org.schoolgate.admin.signin.SignInLimits;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * Issue 11: a pupil who reaches the sign-in (directly, or through the Schoolgate proxy) cannot lock
 * the DSL out. Each client is a real TCP peer on its own loopback address; the Schoolgate proxy is
 * played by requests from 127.0.0.1 carrying the proxy key and {@code Forwarded}, a school's reverse
 * proxy by 127.0.0.9 (listed in the trusted proxies).
 */
class SignInLockOutTest {
  private static final String KEY = "c2Nob29sZ2F0ZS1wcm94eS1rZXktZm9yLXRlc3RzLW9ubHk";
  private static final String PUPIL = "127.0.0.2";
  private static final String DSL_DESK = "127.0.0.3";
  private static final String REVERSE_PROXY = "127.0.0.9";

  @RegisterExtension final AdminApi api = AdminApi.samplePolicy().configure(c -> c
      .withForwarding(new ForwardingTrust(KEY, List.of(Subnet.parse(REVERSE_PROXY))))
      .withSignIn(new SignInLimits(5, Duration.ofMinutes(1), Duration.ofHours(1), 12, Duration.ofMinutes(15),
          Duration.ofMillis(300), Duration.ofMillis(600))));

  @Test
  void fiveWrongPasswordsFromOneAddressLockThatAddressOnlyAndTheDslSignsInFromHerDeskAtOnce() {
    api.createAccount("dsl.one", Set.of(Role.DSL));
    LoopbackClient pupil = client(PUPIL);
    for (int i = 1; i <= 5; i++) {
      assertThat(pupil.post("/api/v1/login", login("dsl.one", "guess number " + i)).status()).as("guess " + i)
          .isEqualTo(401);
    }

    Reply locked = pupil.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD));
    Reply dsl = client(DSL_DESK).post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD));

    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("locked_out");
    assertThat(locked.header("Retry-After")).isEqualTo("60");
    assertThat(dsl.status()).as(dsl.body()).isEqualTo(200);
    assertThat(api.registry.counter("schoolgate.admin.logins.slowed").count()).isZero();
    List<AuditRecord> records = logins();
    assertThat(records).extracting(AuditRecord::type)
        .containsExactly("login.failed", "login.failed", "login.failed", "login.failed", "login.failed",
            "login.failed", "login");
    assertThat(records.subList(0, 6)).extracting(AuditRecord::address).containsOnly(PUPIL);
    assertThat(records.get(5).reason()).startsWith("locked out from 127.0.0.2 until 2026-11-23T10:01:00Z");
    assertThat(records.get(6).address()).isEqualTo(DSL_DESK);
  }

  @Test
  void fiftyGuessesThroughTheSchoolgateProxyLockThePupilsAddressNotTheProxysAndAreRecordedUnderIt() {
    api.createAccount("dsl.one", Set.of(Role.DSL));
    LoopbackClient proxy = client("127.0.0.1");
    int refused = 0;
    for (int i = 1; i <= 50; i++) {
      Reply r = proxy.post("/api/v1/login", login("dsl.one", "guess number " + i),
          ClientAddresses.PROXY_KEY_HEADER, KEY, "Forwarded", "for=\"10.20.30.40\"");
      assertThat(r.status()).as("guess " + i).isEqualTo(i <= 5 ? 401 : 429);
      refused += r.status() == 429 ? 1 : 0;
    }

    Reply viaProxy = proxy.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD),
        ClientAddresses.PROXY_KEY_HEADER, KEY, "Forwarded", "for=\"[2001:db8::7]\"");
    Reply direct = client(DSL_DESK).post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD));

    assertThat(refused).isEqualTo(45);
    assertThat(viaProxy.status()).as(viaProxy.body()).isEqualTo(200);
    assertThat(direct.status()).as(direct.body()).isEqualTo(200);
    List<AuditRecord> records = logins();
    assertThat(records).as("5 wrong passwords and the first refusal; later refusals are counted, not recorded")
        .hasSize(8);
    assertThat(records.subList(0, 6)).extracting(AuditRecord::address).containsOnly("10.20.30.40");
    assertThat(records.get(6).address()).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(records.get(7).address()).isEqualTo(DSL_DESK);
    assertThat(api.registry.get("schoolgate.admin.logins").tag("outcome", "locked-out").counter().count())
        .isEqualTo(45);
  }

  @Test
  void aReverseProxyTheSchoolTrustsNamesTheClientAndOnlyItsLastUntrustedHopCounts() {
    api.createAccount("dsl.one", Set.of(Role.DSL));
    LoopbackClient reverseProxy = client(REVERSE_PROXY);
    for (int i = 1; i <= 5; i++) {
      // the pupil's browser made up the first hop; the reverse proxy appended the real one
      reverseProxy.post("/api/v1/login", login("dsl.one", "guess " + i), "X-Forwarded-For",
          "10.0.0.1, 198.51.100.7");
    }

    Reply pupilAgain = reverseProxy.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD),
        "X-Forwarded-For", "10.0.0.2, 198.51.100.7");
    Reply dsl = reverseProxy.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD),
        "X-Forwarded-For", "198.51.100.8");

    assertThat(pupilAgain.status()).isEqualTo(429);
    assertThat(dsl.status()).isEqualTo(200);
    assertThat(logins()).extracting(AuditRecord::address).containsOnly("198.51.100.7", "198.51.100.8");
  }

  @Test
  void aForgedForwardedHeaderFromAnUntrustedPeerIsIgnoredCountedAndDoesNotEscapeTheLock() {
    api.createAccount("dsl.one", Set.of(Role.DSL));
    LoopbackClient pupil = client(PUPIL);
    for (int i = 1; i <= 5; i++) {
      pupil.post("/api/v1/login", login("dsl.one", "guess " + i), "Forwarded", "for=10.9.9." + i);
    }

    Reply forged = pupil.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD),
        "X-Forwarded-For", "10.8.8.8");
    Reply wrongKey = pupil.post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD),
        ClientAddresses.PROXY_KEY_HEADER, "bm90LXRoZS1rZXktYXQtYWxsLW5vdC10aGUta2V5LWF0LWFsbA", "Forwarded",
        "for=10.7.7.7");

    assertThat(forged.status()).isEqualTo(429);
    assertThat(wrongKey.status()).isEqualTo(429);
    assertThat(logins()).extracting(AuditRecord::address).containsOnly(PUPIL);
    assertThat(ignored("untrusted-peer")).isEqualTo(6);
    assertThat(ignored("wrong-proxy-key")).isEqualTo(1);
  }

  @Test
  void guessesFromManyAddressesSlowTheAccountDownButNeverLockTheOwnerOut() {
    api.createAccount("dsl.one", Set.of(Role.DSL));
    LoopbackClient proxy = client("127.0.0.1");
    for (int pupil = 1; pupil <= 3; pupil++) {
      for (int i = 1; i <= 4; i++) {
        assertThat(proxy.post("/api/v1/login", login("dsl.one", "guess " + i), ClientAddresses.PROXY_KEY_HEADER,
            KEY, "Forwarded", "for=10.0.1." + pupil).status()).isEqualTo(401);
      }
    }

    long start = System.nanoTime();
    Reply owner = client(DSL_DESK).post("/api/v1/login", login("dsl.one", AdminApi.PASSWORD));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(owner.status()).as(owner.body()).isEqualTo(200);
    assertThat(owner.json().get("account").get("username").asText()).isEqualTo("dsl.one");
    assertThat(tookMillis).as("12 failures in the window: answered one slow step late").isGreaterThanOrEqualTo(300);
    assertThat(api.registry.counter("schoolgate.admin.logins.slowed").count()).isEqualTo(1);
  }

  @Test
  void everyRecordOfASignedInRequestNamesTheClientTheProxyForwarded() {
    String token = client("127.0.0.1").post("/api/v1/login", login("technician", AdminApi.PASSWORD),
        ClientAddresses.PROXY_KEY_HEADER, KEY, "Forwarded", "for=10.4.4.4").json().get("token").asText();

    Reply created = client("127.0.0.1").post("/api/v1/tokens", "{\"name\":\"report\"}", "Authorization",
        "Bearer " + token, ClientAddresses.PROXY_KEY_HEADER, KEY, "Forwarded", "for=10.4.4.5");

    assertThat(created.status()).isEqualTo(201);
    List<AuditRecord> tokens = api.store.audit().query(new AuditTrail.Query(null, null, "technician", "token.", 0,
        10));
    assertThat(tokens).extracting(AuditRecord::address).containsExactly("10.4.4.5");
  }

  private double ignored(String reason) {
    return api.registry.get("schoolgate.admin.forwarding.ignored").tag("reason", reason).counter().count();
  }

  private List<AuditRecord> logins() {
    return api.store.audit().query(new AuditTrail.Query(null, null, null, "login", 0, 1000)).stream()
        .filter(r -> r.target().equals("account:dsl.one"))
        .filter(r -> !r.type().startsWith("login.second_factor") && !r.type().equals("login.recovery_code")).toList();
  }

  private LoopbackClient client(String from) {
    return new LoopbackClient(api.server.port(), from);
  }

  /** The body of a sign-in; with the right password, also the DSL's second factor (a recovery code). */
  private String login(String username, String password) {
    String code = password.equals(AdminApi.PASSWORD) ? api.nextRecoveryCode(username) : null;
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\""
        + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
  }
}
