package org.schoolgate.identity;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * A real KDC in-process (Apache Kerby's SimpleKdcServer, TCP on loopback) for the realm
 * {@code SCHOOL.EXAMPLE}, with the proxy's service principal in a keytab and users who get
 * service tickets through the JDK's own Kerberos client, as a Windows browser would.
 */
final class TestKdc implements AutoCloseable {
  static final String REALM = "SCHOOL.EXAMPLE";
  static final String SERVICE = "HTTP/proxy.school.example@" + REALM;
  static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
  static final Oid KRB5_PRINCIPAL = oid("1.2.840.113554.1.2.2.1");

  final SimpleKdcServer kdc;
  final Path dir;
  final Path keytab;

  TestKdc(Path dir) throws Exception {
    this.dir = dir;
    kdc = new SimpleKdcServer();
    kdc.setWorkDir(dir.toFile());
    kdc.setKdcHost("127.0.0.1");
    kdc.setKdcRealm(REALM);
    kdc.setAllowUdp(false);
    kdc.setAllowTcp(true);
    kdc.setKdcTcpPort(freePort());
    kdc.init();
    kdc.start();
    Path conf = dir.resolve("krb5.conf");
    // the JDK client reads it: TCP only, no DNS canonicalisation of service names
    Files.writeString(conf, """
        [libdefaults]
          default_realm = %s
          udp_preference_limit = 1
          dns_canonicalize_hostname = false
          dns_lookup_kdc = false
          dns_lookup_realm = false
        [realms]
          %s = {
            kdc = 127.0.0.1:%d
          }
        """.formatted(REALM, REALM, kdc.getKdcSetting().getKdcTcpPort()));
    System.setProperty("java.security.krb5.conf", conf.toString());
    System.setProperty("sun.security.krb5.disableReferrals", "true");
    kdc.createPrincipal(SERVICE, "service-key-not-used");
    kdc.createPrincipal("HTTP/other.school.example@" + REALM, "other-key-not-used");
    keytab = dir.resolve("proxy.keytab");
    kdc.exportPrincipal(SERVICE, keytab.toFile());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Adds {@code user} with a password and exports its keytab (the client logs in with it). */
  Path user(String user) throws Exception {
    kdc.createPrincipal(user + "@" + REALM, user + "-kerberos-1");
    Path file = dir.resolve(user + ".keytab");
    kdc.exportPrincipal(user + "@" + REALM, file.toFile());
    return file;
  }

  /** The SPNEGO token {@code user}'s browser would send for {@code service}. */
  byte[] token(String user, Path userKeytab, String service) throws Exception {
    Configuration jaas = new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("useKeyTab", "true",
                "keyTab", userKeytab.toString(), "principal", user + "@" + REALM, "doNotPrompt", "true",
                "storeKey", "false", "isInitiator", "true", "refreshKrb5Config", "true"))};
      }
    };
    LoginContext login = new LoginContext("client", new Subject(), null, jaas);
    login.login();
    return Subject.doAs(login.getSubject(), (PrivilegedExceptionAction<byte[]>) () -> {
      GSSManager manager = GSSManager.getInstance();
      GSSName server = manager.createName(service, KRB5_PRINCIPAL);
      GSSCredential credential = manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME, SPNEGO,
          GSSCredential.INITIATE_ONLY);
      GSSContext context = manager.createContext(server, SPNEGO, credential, GSSContext.DEFAULT_LIFETIME);
      context.requestMutualAuth(false);
      byte[] token = context.initSecContext(new byte[0], 0, 0);
      context.dispose();
      return token;
    });
  }

  @Override
  public void close() throws Exception {
    kdc.stop();
  }

  private static Oid oid(String s) {
    try {
      return new Oid(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
