package org.schoolgate.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The school's CA for selective HTTPS interception ({@code interception:} in the runtime
 * configuration): either a PEM certificate and key ({@code ca-certificate}, {@code ca-key}) or a
 * PKCS#12 file ({@code ca-pkcs12}); {@code ca-password-file} holds the password of an encrypted
 * key or of the PKCS#12 file. The key file must be readable by its owner only.
 *
 * @param certificate the CA certificate (PEM), or null with {@code pkcs12}
 * @param key the CA private key (PEM), or null with {@code pkcs12}
 * @param pkcs12 a PKCS#12 file holding both, or null
 * @param passwordFile the key's or PKCS#12 file's password, or null
 * @param leafValidity how long each generated site certificate is valid
 * @param leafCache how many site certificates are kept
 * @param extraTrustedCas CA certificates (PEM) trusted for origins besides the JDK's, e.g. an
 *     intranet CA
 */
public record CaSettings(Path certificate, Path key, Path pkcs12, Path passwordFile, Duration leafValidity,
    int leafCache, List<Path> extraTrustedCas) {
  /** Site certificates are valid for 7 days by default. */
  public static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(7);
  /** 10,000 site certificates are kept by default. */
  public static final int DEFAULT_LEAF_CACHE = 10_000;

  public CaSettings {
    if (pkcs12 == null && (certificate == null || key == null)) {
      throw new IllegalArgumentException("interception: needs ca-certificate and ca-key, or ca-pkcs12"
          + " (expected: the files 'schoolgate ca init' writes: ca/schoolgate-ca.pem and ca/schoolgate-ca.key)");
    }
    if (pkcs12 != null && (certificate != null || key != null)) {
      throw new IllegalArgumentException("interception: give either ca-pkcs12 or ca-certificate with ca-key,"
          + " not both");
    }
    Objects.requireNonNull(leafValidity, "interception.leaf-validity");
    if (leafValidity.compareTo(Duration.ofHours(2)) < 0 || leafValidity.compareTo(Duration.ofDays(397)) > 0) {
      throw new IllegalArgumentException("interception.leaf-validity is " + leafValidity
          + " (expected: between 2h and 397d; browsers refuse longer)");
    }
    if (leafCache < 16 || leafCache > 1_000_000) {
      throw new IllegalArgumentException("interception.leaf-cache is " + leafCache
          + " (expected: between 16 and 1000000 site certificates)");
    }
    extraTrustedCas = List.copyOf(extraTrustedCas);
  }

  /** PEM files with default leaf settings. */
  static CaSettings pem(Path certificate, Path key) {
    return new CaSettings(certificate, key, null, null, DEFAULT_LEAF_VALIDITY, DEFAULT_LEAF_CACHE, List.of());
  }

  /** The CA {@code schoolgate ca init} created in {@code dataDir}, or null when there is none. */
  static CaSettings inDataDir(Path dataDir) {
    Path cert = CaCommand.certificateFile(dataDir);
    Path key = CaCommand.keyFile(dataDir);
    return Files.isRegularFile(cert) && Files.isRegularFile(key) ? pem(cert, key) : null;
  }
}
