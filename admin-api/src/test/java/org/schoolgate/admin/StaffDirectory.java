package org.schoolgate.admin;

import com.github.benmanes.caffeine.cache.Ticker;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.admin.signin.DirectoryRoles;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.store.Role;

/**
 * The small school directory of {@code staff-directory.ldif} in a real in-process LDAP server, and
 * the identity module's verifier over it (5 minutes' cache on a ticker the test moves): group
 * {@code Safeguarding} (with the nested DSL team) gives {@code dsl}, {@code Teachers} gives
 * {@code teacher}. {@link #start()} makes it (the admin server's directory supplier), {@link
 * #stop()} ends it.
 */
final class StaffDirectory {
  static final String GROUPS = "ou=Groups,dc=school,dc=example";
  static final Duration CACHE_FOR = Duration.ofMinutes(5);

  InMemoryDirectoryServer ldap;
  private LdapDirectory directory;
  private CredentialVerifier verifier;
  private final AtomicLong nanos = new AtomicLong();

  DirectoryRoles start() {
    try {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=school,dc=example");
      config.setSchema(null);
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
          null));
      ldap = new InMemoryDirectoryServer(config);
      Path ldif = Files.createTempFile("staff-directory", ".ldif");
      try (InputStream in = StaffDirectory.class.getResourceAsStream("staff-directory.ldif")) {
        Files.copy(in, ldif, StandardCopyOption.REPLACE_EXISTING);
      }
      ldap.importFromLDIF(true, ldif.toFile());
      Files.delete(ldif);
      ldap.startListening();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // plain LDAP on loopback keeps these tests about roles; LDAPS and StartTLS are the identity module's tests
    LdapSettings settings = new LdapSettings(List.of(URI.create("ldap://127.0.0.1:" + ldap.getListenPort())), false,
        true, null, "cn=schoolgate,dc=school,dc=example", "service-secret-1".toCharArray(),
        "ou=People,dc=school,dc=example", "uid", "(objectClass=person)", GROUPS, LdapSettings.Membership.MEMBER_OF, 10,
        Duration.ofSeconds(2), Duration.ofSeconds(2), 2);
    IdentityMetrics metrics = IdentityMetrics.unregistered();
    directory = new LdapDirectory(settings, metrics);
    Ticker ticker = nanos::get;
    verifier = new CredentialVerifier(new VerifierSettings(CACHE_FOR, 100, 0, Duration.ofMinutes(30), 50,
        2, 100, Duration.ofSeconds(30)), directory, null, null, metrics, ticker, Clock.systemUTC());
    return new DirectoryRoles(verifier, List.of(
        new DirectoryRoles.Mapping("CN=Safeguarding,OU=Groups,DC=school,DC=example", Role.DSL),
        new DirectoryRoles.Mapping("Teachers", Role.TEACHER)));
  }

  /** Moves the verifier's cache clock on (a changed group is read again after {@link #CACHE_FOR}). */
  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** Adds {@code uid} (in ou=People) to group {@code cn} at the directory, on both sides (no memberOf overlay here). */
  void addToGroup(String uid, String cn) throws LDAPException {
    String person = "uid=" + uid + ",ou=People,dc=school,dc=example";
    String group = "cn=" + cn + "," + GROUPS;
    ldap.modify(person, new Modification(ModificationType.ADD, "memberOf", group));
    ldap.modify(group, new Modification(ModificationType.ADD, "member", person));
  }

  void stop() {
    verifier.close();
    directory.close();
    ldap.shutDown(true);
  }
}
