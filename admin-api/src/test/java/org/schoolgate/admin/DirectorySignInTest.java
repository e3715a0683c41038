package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.signin.DirectoryRoles;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.store.Role;

/**
 * Admin sign-in with directory credentials against a real in-process LDAP directory: roles come
 * from (nested) directory groups, people in no mapped group get nothing, local accounts keep
 * working, and a directory that is down refuses new people with 503 while the verifier's cache
 * keeps people who signed in lately working.
 */
class DirectorySignInTest {
  private static final String GROUPS = "ou=Groups,dc=school,dc=example";
  private InMemoryDirectoryServer ldap;
  private LdapDirectory directory;
  private CredentialVerifier verifier;

  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().directory(this::startDirectory);

  private DirectoryRoles startDirectory() {
    try {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=school,dc=example");
      config.setSchema(null);
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
          null));
      ldap = new InMemoryDirectoryServer(config);
      Path ldif = Files.createTempFile("staff-directory", ".ldif");
      try (InputStream in = DirectorySignInTest.class.getResourceAsStream("staff-directory.ldif")) {
        Files.copy(in, ldif, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      ldap.importFromLDIF(true, ldif.toFile());
      Files.delete(ldif);
      ldap.startListening();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // plain LDAP on loopback keeps this test about roles; LDAPS and StartTLS are the identity module's tests
    LdapSettings settings = new LdapSettings(List.of(URI.create("ldap://127.0.0.1:" + ldap.getListenPort())), false,
        true, null, "cn=schoolgate,dc=school,dc=example", "service-secret-1".toCharArray(),
        "ou=People,dc=school,dc=example", "uid", "(objectClass=person)", GROUPS, LdapSettings.Membership.MEMBER_OF, 10,
        Duration.ofSeconds(2), Duration.ofSeconds(2), 2);
    IdentityMetrics metrics = IdentityMetrics.unregistered();
    directory = new LdapDirectory(settings, metrics);
    verifier = new CredentialVerifier(new VerifierSettings(Duration.ofMinutes(5), 100, 0, Duration.ofMinutes(30), 50,
        2, 100, Duration.ofSeconds(30)), directory, null, null, metrics, Ticker.systemTicker(), Clock.systemUTC());
    return new DirectoryRoles(verifier, List.of(
        new DirectoryRoles.Mapping("CN=Safeguarding,OU=Groups,DC=school,DC=example", Role.DSL),
        new DirectoryRoles.Mapping("Teachers", Role.TEACHER)));
  }

  @AfterEach
  void stopDirectory() {
    verifier.close();
    directory.close();
    ldap.shutDown(true);
  }

  @Test
  void theDslSignsInWithHerDirectoryPasswordAndGetsTheRoleOfHerNestedGroup() {
    Reply login = login("A.Khan", "aisha-pass-1");

    assertThat(login.status()).as(login.body()).isEqualTo(200);
    assertThat(login.json().path("account").path("username").asText()).isEqualTo("a.khan");
    assertThat(login.json().path("account").path("roles").toString()).isEqualTo("[\"dsl\"]");
    String token = login.json().path("token").asText();
    assertThat(api.withToken(token).get("/api/v1/alerts").status()).isEqualTo(200);
    assertThat(api.store.accounts().byUsername("a.khan").orElseThrow().directory()).isTrue();

    Reply teacher = login("t.jones", "tom-pass-1");
    assertThat(teacher.status()).isEqualTo(200);
    assertThat(api.withToken(teacher.json().path("token").asText()).get("/api/v1/alerts").status()).isEqualTo(403);
  }

  @Test
  void aPupilAWrongPasswordAndAnUnknownNameAllGetTheSameRefusalAndNoAccount() {
    for (Reply r : List.of(login("p.smith", "pat-pass-1"), login("a.khan", "not-her-password"),
        login("nobody", "whatever-1"), login("*)(uid=*", "whatever-1"))) {
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("login_failed");
    }
    assertThat(api.store.accounts().byUsername("p.smith")).isEmpty();
    assertThat(api.store.accounts().byUsername("a.khan")).isEmpty();
  }

  @Test
  void localAccountsKeepTheirOwnPasswordsAndAreNeverTakenOverByTheDirectory() {
    api.createAccount("t.jones", Set.of(Role.ADMIN));

    assertThat(login("t.jones", "tom-pass-1").status()).isEqualTo(401);
    // a local admin also gives its second factor (a recovery code here)
    Reply local = api.anonymous().post("/api/v1/login", "{\"username\":\"t.jones\",\"password\":\""
        + AdminApi.PASSWORD + "\",\"code\":\"" + api.nextRecoveryCode("t.jones") + "\"}");
    assertThat(local.status()).as(local.body()).isEqualTo(200);
    assertThat(local.json().path("account").path("roles").toString()).isEqualTo("[\"admin\"]");
  }

  @Test
  void aDirectoryOutageKeepsRecentSignInsWorkingAndRefusesOthersWith503() {
    assertThat(login("a.khan", "aisha-pass-1").status()).isEqualTo(200);
    ldap.shutDown(true);

    assertThat(login("a.khan", "aisha-pass-1").status()).isEqualTo(200);
    Reply teacher = login("t.jones", "tom-pass-1");
    assertThat(teacher.status()).as(teacher.body()).isEqualTo(503);
    assertThat(teacher.code()).isEqualTo("directory_unavailable");
  }

  private Reply login(String username, String password) {
    return api.anonymous().post("/api/v1/login", "{\"username\":\"" + username.replace("\"", "\\\"")
        + "\",\"password\":\"" + password + "\"}");
  }
}
