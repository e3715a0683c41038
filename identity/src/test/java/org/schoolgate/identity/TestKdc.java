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
public final class TestKdc implements AutoCloseable {
  public static final String REALM = "SCHOOL.EXAMPLE";
  public static final String SERVICE = "HTTP/proxy.school.example@" + REALM;
  static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
  static final Oid KRB5_PRINCIPAL = oid("1.2.840.113554.1.2.2.1");

  final SimpleKdcServer kdc;
  final Path dir;
  public final Path keytab;

  public TestKdc(Path dir) throws Exception {
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
  public Path user(String user) throws Exception {
    kdc.createPrincipal(user + "@" + REALM, user + "-kerberos-1");
    Path file = dir.resolve(user + ".keytab");
    kdc.exportPrincipal(user + "@" + REALM, file.toFile());
    return file;
  }

  /** The SPNEGO token {@code user}'s browser would send for {@code service}. */
  public byte[] token(String user, Path userKeytab, String service) throws Exception {
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

  /**
   * A raw Kerberos GSS token for {@code user} whose authenticator claims a time {@code skewMillis}
   * away from now: what a computer with a wrong clock sends. Built with Kerby's client (the JDK's
   * always uses the true time): a real ticket from the KDC, the authenticator re-sealed with the
   * session key.
   */
  byte[] skewedToken(String user, long skewMillis) throws Exception {
    org.apache.kerby.kerberos.kerb.client.KrbClient client = kdc.getKrbClient();
    org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket tgt = client.requestTgt(user + "@" + REALM,
        user + "-kerberos-1");
    org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket sgt = client.requestSgt(tgt, SERVICE);
    org.apache.kerby.kerberos.kerb.type.ap.ApReq ap = new org.apache.kerby.kerberos.kerb.request.ApRequest(
        new org.apache.kerby.kerberos.kerb.type.base.PrincipalName(user + "@" + REALM), sgt).getApReq();
    org.apache.kerby.kerberos.kerb.type.ap.Authenticator a = ap.getAuthenticator();
    a.setCtime(new org.apache.kerby.kerberos.kerb.type.KerberosTime(System.currentTimeMillis() + skewMillis));
    ap.setEncryptedAuthenticator(org.apache.kerby.kerberos.kerb.common.EncryptionUtil.seal(a, sgt.getSessionKey(),
        org.apache.kerby.kerberos.kerb.type.base.KeyUsage.AP_REQ_AUTH));
    byte[] apReq = ap.encode();
    byte[] mech = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};
    java.io.ByteArrayOutputStream inner = new java.io.ByteArrayOutputStream();
    inner.write(mech);
    inner.write(new byte[] {0x01, 0x00});
    inner.write(apReq);
    byte[] body = inner.toByteArray();
    java.io.ByteArrayOutputStream token = new java.io.ByteArrayOutputStream();
    token.write(0x60);
    if (body.length < 128) {
      token.write(body.length);
    } else if (body.length < 256) {
      token.write(0x81);
      token.write(body.length);
    } else {
      token.write(0x82);
      token.write(body.length >> 8);
      token.write(body.length & 0xff);
    }
    token.write(body);
    return token.toByteArray();
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
