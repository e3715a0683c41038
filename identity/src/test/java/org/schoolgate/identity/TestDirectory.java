package org.schoolgate.identity;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.util.ObjectPair;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.identity.directory.LdapSettings;

/**
 * A real LDAP directory in-process (UnboundID's in-memory server) loaded from
 * {@code directory.ldif}: pupils and staff in nested groups, on loopback with LDAPS and StartTLS
 * (a self-signed certificate made for the run). Counts binds per DN, and can hold binds at a gate
 * to line up concurrent requests.
 */
public final class TestDirectory implements AutoCloseable {
  public static final String BASE = "dc=school,dc=example";
  public static final String PEOPLE = "ou=People," + BASE;
  static final String SERVICE_DN = "cn=schoolgate,ou=Service," + BASE;
  static final char[] SERVICE_PASSWORD = "service-secret-1".toCharArray();

  private static volatile ObjectPair<java.io.File, char[]> keyStore;

  public final InMemoryDirectoryServer server;
  final Path caFile;
  private final Map<String, AtomicInteger> binds = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate;

  public TestDirectory(Path dir) throws Exception {
    ObjectPair<java.io.File, char[]> ks = keyStore();
    SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(ks.getFirst(), ks.getSecond(), "PKCS12", null),
        new TrustAllTrustManager());
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.setSchema(null); // memberOf is not in the standard schema; AD and OpenLDAP's overlay add it
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, serverSsl.createSSLSocketFactory()),
        InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(),
            null));
    config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
      @Override
      public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
        String dn = request.getRequest().getBindDN().toLowerCase(java.util.Locale.ROOT);
        binds.computeIfAbsent(dn, d -> new AtomicInteger()).incrementAndGet();
        CountDownLatch g = gate;
        if (g != null && !dn.equalsIgnoreCase(SERVICE_DN)) {
          try {
            g.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    });
    server = new InMemoryDirectoryServer(config);
    try (InputStream ldif = TestDirectory.class.getResourceAsStream("directory.ldif")) {
      Path file = dir.resolve("directory.ldif");
      Files.copy(ldif, file);
      server.importFromLDIF(true, file.toFile());
    }
    server.startListening();
    caFile = dir.resolve("directory-ca.pem");
    Files.writeString(caFile, pem(ks), StandardCharsets.US_ASCII);
  }

  /** A self-signed certificate for {@code localhost} and 127.0.0.1, made once per run (UnboundID's tool). */
  private static synchronized ObjectPair<java.io.File, char[]> keyStore() throws Exception {
    if (keyStore == null) {
      java.io.File file = Files.createTempFile("schoolgate-test-directory", ".p12").toFile();
      file.delete();
      file.deleteOnExit();
      String pin = "test-keystore-pin";
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      com.unboundid.ldap.sdk.ResultCode rc = com.unboundid.util.ssl.cert.ManageCertificates.main(null, out, out,
          "generate-self-signed-certificate", "--keystore", file.getPath(), "--keystore-password", pin,
          "--keystore-type", "PKCS12", "--alias", "server-cert", "--subject-dn", "CN=localhost,O=Schoolgate Test",
          "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA",
          "--subject-alternative-name-dns", "localhost", "--subject-alternative-name-ip-address", "127.0.0.1",
          "--days-valid", "2");
      if (rc != com.unboundid.ldap.sdk.ResultCode.SUCCESS) {
        throw new IllegalStateException("could not make the test certificate: " + out);
      }
      keyStore = new ObjectPair<>(file, pin.toCharArray());
    }
    return keyStore;
  }

  private static String pem(ObjectPair<java.io.File, char[]> ks) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.getFirst())) {
      store.load(in, ks.getSecond());
    }
    Certificate cert = store.getCertificate(store.aliases().nextElement());
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  URI ldaps() {
    return URI.create("ldaps://localhost:" + server.getListenPort("ldaps"));
  }

  URI ldap() {
    return URI.create("ldap://localhost:" + server.getListenPort("ldap"));
  }

  /** LDAPS settings for uid users, with the given membership mode. */
  public LdapSettings settings(LdapSettings.Membership membership) {
    return new LdapSettings(List.of(ldaps()), false, false, caFile, SERVICE_DN, SERVICE_PASSWORD.clone(), PEOPLE,
        "uid", "(objectClass=person)", "ou=Groups," + BASE, membership, 10, Duration.ofSeconds(3),
        Duration.ofSeconds(5), 4);
  }

  /** Binds made with {@code dn} (service account included). */
  int binds(String dn) {
    AtomicInteger n = binds.get(dn.toLowerCase(java.util.Locale.ROOT));
    return n == null ? 0 : n.get();
  }

  /** Binds as {@code uid} under People. */
  public int userBinds(String uid) {
    return binds("uid=" + uid + "," + PEOPLE);
  }

  /** Holds every user bind until the returned latch is counted down. */
  CountDownLatch holdBinds() {
    CountDownLatch g = new CountDownLatch(1);
    gate = g;
    return g;
  }

  void releaseBinds() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Makes {@code uid} a direct member of {@code group} (both member and memberOf). */
  public void addToGroup(String uid, String group) throws LDAPException {
    String user = "uid=" + uid + "," + PEOPLE;
    String g = "cn=" + group + ",ou=Groups," + BASE;
    server.modify(g, new Modification(ModificationType.ADD, "member", user));
    server.modify(user, new Modification(ModificationType.ADD, "memberOf", g));
  }

  public void setPassword(String uid, String password) throws LDAPException {
    server.modify("uid=" + uid + "," + PEOPLE, new Modification(ModificationType.REPLACE, "userPassword", password));
  }

  @Override
  public void close() {
    releaseBinds();
    server.shutDown(true);
  }
}
