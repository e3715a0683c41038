package org.schoolgate.proxy.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * A TLS server certificate for Schoolgate's own pages (the admin port): {@link #load} reads the
 * school's own certificate chain and key from PEM files, {@link #issue} has the school's CA make one
 * for the public name (devices that trust the CA for interception trust it too). Deploy hands the
 * key and chain to the admin API, which knows nothing of this package.
 */
public final class ServerCertificate {
  /** Issued certificates are valid this long (browsers refuse longer than 398 days). */
  public static final Duration ISSUED_VALIDITY = Duration.ofDays(397);

  private final PrivateKey key;
  private final List<X509Certificate> chain;

  private ServerCertificate(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = List.copyOf(chain);
  }

  /** The private key. */
  public PrivateKey key() {
    return key;
  }

  /** The server certificate first, then the chain up to (not always including) the root. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * A certificate for {@code host} (a DNS name or an IP literal) signed by {@code ca}: EC P-256,
   * serverAuth, valid from an hour ago for {@link #ISSUED_VALIDITY} (never past the CA's own end).
   */
  public static ServerCertificate issue(SchoolCa ca, String host, Clock clock) throws CaException {
    Objects.requireNonNull(ca, "ca");
    LeafNames name = LeafNames.of(host);
    SecureRandom random = new SecureRandom();
    KeyPair keys = Certificates.ecP256(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = now.plus(ISSUED_VALIDITY);
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    if (!notAfter.isAfter(now)) {
      throw new CaException("the school's CA expired on " + caEnd + "; make a new one ('schoolgate ca init --force')");
    }
    X509Certificate leaf = Certificates.leaf(ca, Certificates.forSigning(ca.privateKey()), name.host(),
        name.ipAddress(), keys.getPublic(), now.minus(Duration.ofHours(1)), notAfter, random);
    return new ServerCertificate(keys.getPrivate(), List.of(leaf, ca.certificate()));
  }

  /**
   * Reads a PEM certificate chain (server certificate first) and its PEM key ({@code password}
   * for an encrypted one, else null); the key file must be readable by its owner only and must
   * belong to the first certificate.
   */
  public static ServerCertificate load(Path chainPem, Path keyPem, char[] password) throws CaException {
    List<X509Certificate> chain = readChain(chainPem);
    if (!Files.exists(keyPem)) {
      throw new CaException("there is no key at " + keyPem + " (expected: the PEM key of the certificate in "
          + chainPem + ")");
    }
    PemFiles.requireOwnerOnly(keyPem);
    PrivateKey key = PemFiles.readPrivateKey(keyPem, password);
    if (!Certificates.matches(key, chain.get(0).getPublicKey(), new SecureRandom())) {
      throw new CaException("the key in " + keyPem + " does not belong to the first certificate in " + chainPem
          + " (expected: the server certificate first, then intermediates, and its own key)");
    }
    return new ServerCertificate(key, chain);
  }

  private static List<X509Certificate> readChain(Path file) throws CaException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CaException("cannot read the certificate chain " + file + ": " + e.getMessage(), e);
    }
    List<X509Certificate> chain = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new CaException("could not read the certificate chain in " + file + ": " + e.getMessage()
          + " (expected: PEM '-----BEGIN CERTIFICATE-----' blocks, the server certificate first)", e);
    }
    if (chain.isEmpty()) {
      throw new CaException("there is no certificate in " + file
          + " (expected: PEM '-----BEGIN CERTIFICATE-----' blocks, the server certificate first)");
    }
    return chain;
  }
}
