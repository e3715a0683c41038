package org.schoolgate.proxy.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, certificates and key files in the forms schools bring (made here, in the test). */
final class TestKeys {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private TestKeys() {}

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  /** A self-signed certificate; {@code ca} adds CA:true, {@code usage} a keyUsage (or -1 for none). */
  static X509Certificate selfSigned(KeyPair keys, String subject, Instant from, Instant to, boolean ca, int usage)
      throws Exception {
    X500Name name = new X500Name(subject);
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(42),
        Date.from(from), Date.from(to), name, keys.getPublic());
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    if (usage >= 0) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
    }
    String algorithm = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }

  /** OpenSSL's traditional form: {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}, optionally encrypted (AES-256-CBC). */
  static String traditional(PrivateKey jdkKey, char[] password) throws Exception {
    // As OpenSSL writes it: BouncyCastle's encoding keeps the curve inside ECPrivateKey (the JDK's does not).
    PrivateKey key = KeyFactory.getInstance(jdkKey.getAlgorithm(), BC)
        .generatePrivate(new PKCS8EncodedKeySpec(jdkKey.getEncoded()));
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(password == null ? new JcaMiscPEMGenerator(key)
          : new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(password)));
    }
    return out.toString();
  }

  /** PKCS#8 {@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} (PBES2, AES-256-CBC) with a password. */
  static String pkcs8(PrivateKey key, char[] password) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, password == null ? null
          : new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(password)
              .build()));
    }
    return out.toString();
  }

  static String certificatePem(X509Certificate certificate) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    }
    return out.toString();
  }

  /** Writes a file with the given permissions, e.g. "rw-------". */
  static Path write(Path file, String text, String permissions) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  static Path pkcs12(Path file, PrivateKey key, X509Certificate certificate, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("ca", key, password, new X509Certificate[] {certificate});
    try (var out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
