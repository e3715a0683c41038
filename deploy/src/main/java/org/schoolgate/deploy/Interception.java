package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.netty.handler.ssl.OpenSsl;
import java.util.concurrent.ExecutorService;
import org.schoolgate.proxy.ca.CaException;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The school's CA loaded for interception: the CA, the {@code schoolgate-leaves-N} threads that
 * make site certificates off the event loops, and the origins' extra trusted CAs. Closing stops the
 * threads. A CA that cannot be loaded stops start-up with the loader's message (never key
 * material).
 */
final class Interception implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Interception.class);
  /** Leaf generation is quick (EC P-256, ~1 ms); two threads keep a burst of new sites moving. */
  private static final int LEAF_THREADS = 2;

  private final ExecutorService executor;
  private final InterceptionSettings settings;

  private Interception(ExecutorService executor, InterceptionSettings settings) {
    this.executor = executor;
    this.settings = settings;
  }

  /**
   * Loads the school CA and starts the leaf threads. {@code adminChain}: the admin API's own
   * certificate chain ({@code admin.tls}; empty without it), trusted for origins besides the JDK's
   * CAs and {@code interception.extra-trusted-cas}, because the proxy decrypts pupils' tunnels to
   * the admin origin and connects on to it with TLS (a school-CA or self-signed certificate
   * included).
   */
  static Interception start(CaSettings config, List<X509Certificate> adminChain, Clock clock) throws IOException {
    SchoolCa ca = load(config, clock);
    List<X509Certificate> extra = new ArrayList<>(adminChain);
    for (Path pem : config.extraTrustedCas()) {
      try {
        extra.add(SchoolCa.readCertificate(pem));
      } catch (CaException e) {
        throw new IllegalArgumentException("interception.extra-trusted-cas: " + e.getMessage(), e);
      }
    }
    ExecutorService executor = LeafCertificates.newExecutor(LEAF_THREADS);
    LeafCertificates leaves = new LeafCertificates(ca, executor, clock, config.leafValidity(), config.leafCache());
    log.info("interception CA loaded: {} (SHA-256 {}); sites are decrypted only where the policy's"
        + " 'interception:' section says so; TLS by {}", ca.certificate().getSubjectX500Principal().getName(),
        ca.fingerprintSha256(), tlsProvider());
    return new Interception(executor, InterceptionSettings.of(leaves, extra));
  }

  private static SchoolCa load(CaSettings config, Clock clock) throws IOException {
    char[] password = null;
    try {
      if (config.passwordFile() != null) {
        password = Files.readString(config.passwordFile(), StandardCharsets.UTF_8).strip().toCharArray();
      }
      return config.pkcs12() != null
          ? SchoolCa.loadPkcs12(config.pkcs12(), password, clock)
          : SchoolCa.load(config.certificate(), config.key(), password, clock);
    } catch (CaException e) {
      throw new IllegalArgumentException("interception: the school CA cannot be used: " + e.getMessage()
          + " (create one with 'schoolgate ca init', or fix interception.ca-* in the configuration)", e);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** BoringSSL when Netty's native TLS loads (about 2x the JDK's handshakes), else the JDK's. */
  static String tlsProvider() {
    return OpenSsl.isAvailable() ? OpenSsl.versionString()
        : "the JDK (BoringSSL could not load: " + OpenSsl.unavailabilityCause() + ")";
  }

  InterceptionSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
