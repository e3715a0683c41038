package org.schoolgate.proxy.ca;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The school's interception CA: its certificate and private key.
 *
 * <pre>{@code
 * SchoolCa ca = SchoolCa.generate("Example School", Clock.systemUTC());
 * ca.save(dataDir.resolve("ca/schoolgate-ca.pem"), dataDir.resolve("ca/schoolgate-ca.key"), false);
 * SchoolCa same = SchoolCa.load(certPem, keyPem);           // at start-up
 * }</pre>
 *
 * <p><b>Key type.</b> Generated CAs use EC P-256 (ECDSA with SHA-256): every device the school
 * manages accepts it, and signing a leaf with it costs tens of microseconds where RSA 3072 costs
 * milliseconds; the proxy signs one leaf per intercepted host. Loaded CAs may be EC (P-256, P-384,
 * P-521) or RSA.
 *
 * <p>Loading refuses, with a sentence that says how to fix it: a certificate that is not a CA or
 * may not sign certificates, one that has expired or is not valid yet, a key that does not belong
 * to the certificate, an encrypted key without (or with the wrong) password, and a key file other
 * users can read or write. {@link #toString()} and every message leave the key out.
 */
public final class SchoolCa {
  /** How long a generated CA is valid. */
  public static final Duration VALIDITY = Duration.ofDays(3653);
  /** Generated certificates start this long before "now", for devices whose clocks run behind. */
  static final Duration BACKDATE = Duration.ofHours(1);
  private static final int MAX_SCHOOL_NAME = 48;
  private static final String CA_SUFFIX = " Schoolgate CA";

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private SchoolCa(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * A new CA named {@code CN=<schoolName> Schoolgate CA, O=Schoolgate}: EC P-256, CA:true with
   * path length 0 (it signs leaves only), keyCertSign and cRLSign, a random 128-bit serial, valid
   * from an hour before {@code clock}'s now for ten years.
   */
  public static SchoolCa generate(String schoolName, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    String name = schoolName(schoolName);
    SecureRandom random = new SecureRandom();
    KeyPair keys = Certificates.ecP256(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // O first: the encoded order is most significant first, so the subject reads "CN=..., O=Schoolgate".
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Schoolgate")
        .addRDN(BCStyle.CN, name + CA_SUFFIX);
    try {
      X509Certificate certificate = Certificates.selfSignedCa(subject.build(), keys, now.minus(BACKDATE),
          now.plus(VALIDITY), random);
      return new SchoolCa(certificate, keys.getPrivate());
    } catch (CaException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String schoolName(String schoolName) {
    if (schoolName == null || schoolName.isBlank()) {
      throw new IllegalArgumentException("school name is empty (expected: the school's name, e.g. 'Example School')");
    }
    String name = schoolName.strip();
    if (name.length() > MAX_SCHOOL_NAME) {
      throw new IllegalArgumentException("school name '" + name + "' is " + name.length() + " characters (expected:"
          + " at most " + MAX_SCHOOL_NAME + "; it becomes the CA's name '<school>" + CA_SUFFIX + "')");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException("school name contains a control character at position " + (i + 1)
            + " (expected: printable text)");
      }
    }
    return name;
  }

  /** Loads an unencrypted PEM key and its certificate, checked against the system clock. */
  public static SchoolCa load(Path certificatePem, Path keyPem) throws CaException {
    return load(certificatePem, keyPem, null, Clock.systemUTC());
  }

  /**
   * Loads a PEM certificate and key (PKCS#8 or OpenSSL's traditional form; {@code password} for an
   * encrypted key, else null), checked at {@code clock}'s now.
   */
  public static SchoolCa load(Path certificatePem, Path keyPem, char[] password, Clock clock) throws CaException {
    X509Certificate certificate = PemFiles.readCertificate(certificatePem);
    if (!Files.exists(keyPem)) {
      throw new CaException("there is no CA key at " + keyPem + " (expected: the key file made with the certificate "
          + certificatePem + ")");
    }
    PemFiles.requireOwnerOnly(keyPem);
    PrivateKey key = PemFiles.readPrivateKey(keyPem, password);
    return checked(certificate, key, "the certificate in " + certificatePem, "the private key in " + keyPem, clock);
  }

  /** Loads a PKCS#12 file holding the CA's key and certificate, checked against the system clock. */
  public static SchoolCa loadPkcs12(Path file, char[] password) throws CaException {
    return loadPkcs12(file, password, Clock.systemUTC());
  }

  /**
   * Loads a PKCS#12 file holding the CA's key and certificate ({@code password} protects the file
   * and the key), checked at {@code clock}'s now. With several keys, the one whose certificate is a
   * CA is used.
   */
  public static SchoolCa loadPkcs12(Path file, char[] password, Clock clock) throws CaException {
    char[] pw = password == null ? new char[0] : password;
    if (!Files.exists(file)) {
      throw new CaException("there is no PKCS#12 file at " + file + " (expected: a .p12/.pfx file with the CA's"
          + " certificate and key)");
    }
    PemFiles.requireOwnerOnly(file);
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, pw);
    } catch (NoSuchFileException e) {
      throw new CaException("there is no PKCS#12 file at " + file);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new CaException("could not open the PKCS#12 file " + file + " (wrong password?)");
      }
      throw new CaException("could not read the PKCS#12 file " + file + " (expected: a .p12/.pfx file; "
          + "wrong password?)");
    } catch (GeneralSecurityException e) {
      throw new CaException("could not read the PKCS#12 file " + file + ": " + e.getMessage());
    }
    PrivateKey key = null;
    X509Certificate certificate = null;
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        Key k = store.getKey(alias, pw);
        Certificate c = store.getCertificate(alias);
        if (!(k instanceof PrivateKey pk) || !(c instanceof X509Certificate xc)) {
          continue;
        }
        if (key == null || xc.getBasicConstraints() >= 0 && certificate.getBasicConstraints() < 0) {
          key = pk;
          certificate = xc;
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw new CaException("could not decrypt the key in the PKCS#12 file " + file + " (wrong password? The key"
          + " must use the file's password)");
    } catch (GeneralSecurityException e) {
      throw new CaException("could not read the PKCS#12 file " + file + ": " + e.getMessage());
    }
    if (key == null) {
      throw new CaException("there is no private key with a certificate in the PKCS#12 file " + file
          + " (expected: the CA's key and certificate, e.g. 'openssl pkcs12 -export -inkey ca.key -in ca.pem')");
    }
    return checked(certificate, key, "the certificate in " + file, "the private key in " + file, clock);
  }

  private static SchoolCa checked(X509Certificate certificate, PrivateKey key, String certSource, String keySource,
      Clock clock) throws CaException {
    String subject = certificate.getSubjectX500Principal().getName();
    if (certificate.getBasicConstraints() < 0) {
      throw new CaException(certSource + " ('" + subject + "') is not a CA certificate (it lacks basicConstraints"
          + " CA:true); give the CA's own certificate, e.g. one made by 'schoolgate ca init'");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage != null && (usage.length <= 5 || !usage[5])) {
      throw new CaException(certSource + " ('" + subject + "') may not sign certificates (its keyUsage lacks"
          + " keyCertSign); give a CA made for issuing certificates, e.g. by 'schoolgate ca init'");
    }
    Instant now = clock.instant();
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      throw new CaException(certSource + " ('" + subject + "') expired on " + certificate.getNotAfter().toInstant()
          + "; make a new CA ('schoolgate ca init --force') and deploy it to the school's devices");
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new CaException(certSource + " ('" + subject + "') is not valid until "
          + certificate.getNotBefore().toInstant() + "; check this server's clock");
    }
    Certificates.signatureAlgorithm(key); // refuses key types browsers cannot verify
    if (!Certificates.matches(key, certificate.getPublicKey(), new SecureRandom())) {
      throw new CaException(keySource + " does not belong to " + certSource + " ('" + subject
          + "'); give the key that was made together with the certificate");
    }
    return new SchoolCa(certificate, key);
  }

  /**
   * Writes the certificate (PEM, 0644) and the key (unencrypted PKCS#8 PEM, created 0600 so no
   * other user can ever read it), creating missing parent directories. Without {@code force},
   * refuses when either file exists; with it, replaces them.
   */
  public void save(Path certificatePem, Path keyPem, boolean force) throws CaException {
    for (Path p : new Path[] {certificatePem, keyPem}) {
      if (!force && Files.exists(p)) {
        throw new CaException(p + " already exists; refusing to overwrite the school's CA (devices trust it)."
            + " Use --force to replace it, then deploy the new certificate");
      }
    }
    try {
      for (Path p : new Path[] {certificatePem, keyPem}) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
      PemFiles.write(keyPem, PemFiles.pem("PRIVATE KEY", privateKey.getEncoded()), PemFiles.KEY_PERMISSIONS, force);
      PemFiles.write(certificatePem, certificatePem(), PemFiles.CERT_PERMISSIONS, force);
    } catch (FileAlreadyExistsException e) {
      throw new CaException(e.getFile() + " already exists; refusing to overwrite the school's CA. Use --force"
          + " to replace it");
    } catch (IOException e) {
      throw new CaException("could not write the CA files: " + e.getMessage(), e);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate as PEM text ({@code -----BEGIN CERTIFICATE-----}), for pages that offer it for download. */
  public String certificatePem() {
    try {
      return PemFiles.pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the CA certificate cannot be encoded", e);
    }
  }

  /** The certificate's SHA-256 fingerprint as colon-separated upper-case hex, as browsers show it. */
  public String fingerprintSha256() {
    return fingerprintSha256(certificate);
  }

  /** {@code certificate}'s SHA-256 fingerprint as colon-separated upper-case hex. */
  public static String fingerprintSha256(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint the certificate", e);
    }
  }

  /** Reads the first certificate of a PEM file, without its key (e.g. to show it). */
  public static X509Certificate readCertificate(Path certificatePem) throws CaException {
    return PemFiles.readCertificate(certificatePem);
  }

  /** The key, for signing leaves in this package only. */
  PrivateKey privateKey() {
    return privateKey;
  }

  /** The subject and fingerprint; never the key. */
  @Override
  public String toString() {
    return "SchoolCa[" + certificate.getSubjectX500Principal().getName() + ", SHA-256 " + fingerprintSha256() + "]";
  }
}
