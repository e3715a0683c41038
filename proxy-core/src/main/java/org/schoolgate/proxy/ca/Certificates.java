package org.schoolgate.proxy.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Building certificates with BouncyCastle's builder. Keys come from the JDK; the CA certificate is
 * signed by the JDK's providers, leaves by a BouncyCastle provider instance (never registered
 * globally) whose ECDSA signs several times faster than SunEC's on Java 17.
 */
final class Certificates {

  /** Random serials: 128 bits, positive and never zero (RFC 5280 asks for at most 20 octets). */
  private static final int SERIAL_BITS = 128;

  private Certificates() {}

  /** A new EC P-256 key pair. */
  static KeyPair ecP256(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys (the SunEC provider is missing)", e);
    }
  }

  static BigInteger serial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(SERIAL_BITS, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /** The signature algorithm a CA key signs with: SHA-256 for RSA and P-256, larger hashes for larger curves. */
  static String signatureAlgorithm(PrivateKey key) throws CaException {
    if (key instanceof RSAPrivateKey) {
      return "SHA256withRSA";
    }
    if (key instanceof ECPrivateKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
    }
    throw new CaException("the CA key is " + key.getAlgorithm() + " (expected: EC or RSA; browsers do not accept "
        + "other certificate signatures)");
  }

  /** A self-signed CA certificate: CA:true pathLen 0, keyCertSign + cRLSign, SKI and AKI. */
  static X509Certificate selfSignedCa(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter,
      SecureRandom random) throws CaException {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(keys.getPublic());
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
          Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ski)
          .addExtension(Extension.authorityKeyIdentifier, false,
              new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
      return sign(builder, keys.getPrivate(), null);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new CaException("could not build the CA certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A server leaf for one DNS name or IP address, signed by the CA: CA:false, digitalSignature,
   * serverAuth, the SAN, SKI and AKI (the CA's own key identifier when it has one).
   */
  static X509Certificate leaf(SchoolCa ca, PrivateKey signingKey, String host, boolean ipAddress, PublicKey leafKey,
      Instant notBefore, Instant notAfter, SecureRandom random) throws CaException {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X500Name subject = LeafNames.subject(host);
      GeneralName san = new GeneralName(ipAddress ? GeneralName.iPAddress : GeneralName.dNSName, host);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
          Date.from(notBefore), Date.from(notAfter), subject, leafKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0, new GeneralNames(san))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(leafKey))
          .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ca.certificate(), utils));
      return sign(builder, signingKey, BouncyCastle.PROVIDER);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new CaException("could not build a leaf certificate for " + host + ": " + e.getMessage(), e);
    }
  }

  private static AuthorityKeyIdentifier authorityKeyId(X509Certificate ca, JcaX509ExtensionUtils utils) {
    byte[] ext = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ext != null) {
      byte[] keyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets();
      return new AuthorityKeyIdentifier(keyId);
    }
    return new AuthorityKeyIdentifier(utils.createSubjectKeyIdentifier(ca.getPublicKey()).getKeyIdentifier());
  }

  /** The CA key as BouncyCastle's provider holds it, for {@link #leaf}; converted once. */
  static PrivateKey forSigning(PrivateKey caKey) throws CaException {
    try {
      return KeyFactory.getInstance(caKey.getAlgorithm(), BouncyCastle.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(caKey.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CaException("the CA key cannot be used for signing leaves (" + caKey.getAlgorithm() + ")", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, Provider provider)
      throws CaException, CertificateException {
    try {
      JcaContentSignerBuilder signer = new JcaContentSignerBuilder(signatureAlgorithm(key));
      if (provider != null) {
        signer.setProvider(provider);
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer.build(key)));
    } catch (OperatorCreationException e) {
      throw new CaException("could not sign with the CA key: " + e.getMessage(), e);
    }
  }

  /** True when {@code key} signs what {@code publicKey} verifies (a key and certificate belong together). */
  static boolean matches(PrivateKey key, PublicKey publicKey, SecureRandom random) throws CaException {
    byte[] challenge = new byte[32];
    random.nextBytes(challenge);
    String algorithm = signatureAlgorithm(key);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key, random);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key beside an EC certificate
    }
  }
}
