package org.schoolgate.proxy.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for test origins (BouncyCastle, EC P-256): issues server certificates
 * for chosen names and validity, and gives JDK client contexts trusting chosen certificates.
 */
public final class TestCa {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final X500Name name;

  public TestCa(String commonName) {
    try {
      keys = ecKeys();
      name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      certificate = sign(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A server certificate for {@code names} valid from {@code from} to {@code until}. */
  public Issued issue(Instant from, Instant until, String... names) {
    try {
      KeyPair leaf = ecKeys();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until),
          new X500Name("CN=" + names[0]), leaf.getPublic());
      GeneralName[] san = List.of(names).stream()
          .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
      return new Issued(leaf.getPrivate(), sign(b), certificate);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server certificate for {@code names}, valid now. */
  public Issued issue(String... names) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), names);
  }

  /** A JDK client context trusting only {@code trusted}. */
  public static SSLContext trusting(X509Certificate... trusted) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.length; i++) {
        store.setCertificateEntry("ca-" + i, trusted[i]);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate sign(JcaX509v3CertificateBuilder b) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  /** An issued certificate with its key and the issuing CA's certificate. */
  public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {}
}
