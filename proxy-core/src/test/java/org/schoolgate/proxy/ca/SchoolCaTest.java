package org.schoolgate.proxy.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.testing.MutableClock;

class SchoolCaTest {
  private static final Instant NOW = Instant.parse("2026-09-01T08:00:00Z");
  private static final char[] PASSWORD = "correct horse".toCharArray();

  private final MutableClock clock = new MutableClock(NOW);
  @TempDir Path dir;

  @Test
  void aGeneratedCaIsAnEcP256CaThatMaySignOnlyLeavesForTenYears() throws Exception {
    X509Certificate ca = SchoolCa.generate("Example School", clock).certificate();

    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Example School Schoolgate CA,O=Schoolgate");
    assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).as("CA:true, pathLen 0").isZero();
    assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(ca.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3653)));
    assertThat(ca.getSerialNumber().signum()).isPositive();
    assertThat(ca.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(ca.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
  }

  @Test
  void twoGeneratedCasHaveDifferentSerialsAndKeys() {
    X509Certificate a = SchoolCa.generate("Example School", clock).certificate();
    X509Certificate b = SchoolCa.generate("Example School", clock).certificate();

    assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
  }

  @Test
  void aSchoolNameWithCommasIsEscapedNotSplitIntoAttributes() {
    X509Certificate ca = SchoolCa.generate("St Mary's, Upper School", clock).certificate();

    assertThat(ca.getSubjectX500Principal().getName())
        .isEqualTo("CN=St Mary's\\, Upper School Schoolgate CA,O=Schoolgate");
  }

  static Stream<Arguments> badSchoolNames() {
    return Stream.of(
        Arguments.of("", "school name is empty (expected: the school's name, e.g. 'Example School')"),
        Arguments.of("   ", "school name is empty (expected: the school's name, e.g. 'Example School')"),
        Arguments.of("x".repeat(49), "school name '" + "x".repeat(49) + "' is 49 characters (expected: at most 48;"
            + " it becomes the CA's name '<school> Schoolgate CA')"),
        Arguments.of("Evil\nSchool", "school name contains a control character at position 5 (expected: printable text)"));
  }

  @ParameterizedTest
  @MethodSource("badSchoolNames")
  void aSchoolNameThatCannotNameACaIsRefused(String name, String message) {
    assertThatThrownBy(() -> SchoolCa.generate(name, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void saveCreatesTheKeyReadableOnlyByItsOwnerAndTheCertificateReadableByAll() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = dir.resolve("ca/schoolgate-ca.pem");
    Path key = dir.resolve("ca/schoolgate-ca.key");

    ca.save(cert, key, false);

    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(cert)).contains(PosixFilePermission.OWNER_READ)
        .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    assertThat(PosixFilePermissions.fromString("rw-r--r--")).containsAll(Files.getPosixFilePermissions(cert));
    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(ca.certificatePem()).isEqualTo(Files.readString(cert));
  }

  @Test
  void saveRefusesToReplaceAnExistingCaUnlessForced() throws Exception {
    Path cert = dir.resolve("schoolgate-ca.pem");
    Path key = dir.resolve("schoolgate-ca.key");
    SchoolCa first = SchoolCa.generate("Example School", clock);
    first.save(cert, key, false);
    SchoolCa second = SchoolCa.generate("Example School", clock);

    assertThatThrownBy(() -> second.save(cert, key, false)).isInstanceOf(CaException.class)
        .hasMessage(cert + " already exists; refusing to overwrite the school's CA (devices trust it). Use --force"
            + " to replace it, then deploy the new certificate");
    assertThat(SchoolCa.load(cert, key, null, clock).certificate()).isEqualTo(first.certificate());

    second.save(cert, key, true);

    assertThat(SchoolCa.load(cert, key, null, clock).certificate()).isEqualTo(second.certificate());
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("schoolgate-ca.pem", "schoolgate-ca.key");
  }

  @Test
  void aSavedCaLoadsBackAndSignsLeavesTheOriginalCertificateVerifies() throws Exception {
    SchoolCa original = SchoolCa.generate("Example School", clock);
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    original.save(cert, key, false);

    SchoolCa loaded = SchoolCa.load(cert, key, null, clock);

    assertThat(loaded.certificate()).isEqualTo(original.certificate());
    assertThat(loaded.fingerprintSha256()).isEqualTo(original.fingerprintSha256());
    var executor = Executors.newSingleThreadExecutor();
    try {
      X509Certificate leaf = new LeafCertificates(loaded, executor, clock, Duration.ofDays(7), 10)
          .leaf("www.example.test").get(10, TimeUnit.SECONDS).certificate();
      leaf.verify(original.certificate().getPublicKey());
    } finally {
      executor.shutdownNow();
    }
  }

  enum KeyForm { PKCS8, PKCS8_ENCRYPTED, TRADITIONAL, TRADITIONAL_ENCRYPTED }

  static Stream<Arguments> keyForms() throws Exception {
    return Stream.of("EC", "RSA").flatMap(type -> Stream.of(KeyForm.values()).map(form -> Arguments.of(type, form)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keyForms")
  void aCaKeyLoadsInEveryPemFormOpenSslWrites(String type, KeyForm form) throws Exception {
    KeyPair keys = type.equals("EC") ? TestKeys.ec() : TestKeys.rsa(2048);
    X509Certificate certificate = TestKeys.selfSigned(keys, "CN=Imported CA", NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(365)), true, KeyUsage.keyCertSign | KeyUsage.cRLSign);
    boolean encrypted = form == KeyForm.PKCS8_ENCRYPTED || form == KeyForm.TRADITIONAL_ENCRYPTED;
    String keyText = form == KeyForm.PKCS8 || form == KeyForm.PKCS8_ENCRYPTED
        ? TestKeys.pkcs8(keys.getPrivate(), encrypted ? PASSWORD : null)
        : TestKeys.traditional(keys.getPrivate(), encrypted ? PASSWORD : null);
    Path cert = certificateFile(TestKeys.certificatePem(certificate));
    Path key = keyFile(keyText);

    SchoolCa loaded = SchoolCa.load(cert, key, encrypted ? PASSWORD : null, clock);

    assertThat(loaded.certificate()).isEqualTo(certificate);
    assertThat(loaded.privateKey().getAlgorithm()).isEqualTo(type);
  }

  @Test
  void aPkcs12FileLoadsWithItsPassword() throws Exception {
    SchoolCa original = SchoolCa.generate("Example School", clock);
    Path p12 = TestKeys.pkcs12(dir.resolve("ca.p12"), original.privateKey(), original.certificate(), PASSWORD);

    SchoolCa loaded = SchoolCa.loadPkcs12(p12, PASSWORD, clock);

    assertThat(loaded.certificate()).isEqualTo(original.certificate());
    assertThat(loaded.privateKey()).isEqualTo(original.privateKey());
  }

  @Test
  void toStringNamesTheCaAndNeverShowsTheKey() {
    SchoolCa ca = SchoolCa.generate("Example School", clock);

    assertThat(ca.toString()).isEqualTo("SchoolCa[CN=Example School Schoolgate CA,O=Schoolgate, SHA-256 "
        + ca.fingerprintSha256() + "]");
    assertThat(ca.toString()).doesNotContain(Base64.getEncoder().encodeToString(ca.privateKey().getEncoded())
        .substring(0, 20));
  }

  @Test
  void theFingerprintIsTheSha256OfTheCertificateAsBrowsersShowIt() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);

    String hex = HexFormat.of().withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded()));
    assertThat(ca.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
        .isEqualTo(String.join(":", hex.split("(?<=\\G..)")));
  }

  // --- what loading refuses, and what it says

  @Test
  void aMissingCertificateFileIsNamed() {
    Path cert = dir.resolve("nothing.pem");

    assertThatThrownBy(() -> SchoolCa.load(cert, dir.resolve("nothing.key"), null, clock))
        .isInstanceOf(CaException.class)
        .hasMessage("there is no CA certificate at " + cert + " (expected: a PEM file, e.g. made by 'schoolgate ca init')");
  }

  @Test
  void aMissingKeyFileIsNamed() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path key = dir.resolve("ca.key");

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("there is no CA key at " + key + " (expected: the key file made with the certificate " + cert + ")");
  }

  @Test
  void aFileWithoutACertificateIsRefused() throws Exception {
    Path cert = certificateFile("hello\n");

    assertThatThrownBy(() -> SchoolCa.load(cert, dir.resolve("ca.key"), null, clock))
        .hasMessage("there is no certificate in " + cert
            + " (expected: a PEM file with a '-----BEGIN CERTIFICATE-----' block)");
  }

  @Test
  void aKeyFileWithoutAKeyIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path key = keyFile(ca.certificatePem());

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("there is no private key in " + key + " (expected: PEM 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY',"
            + " 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')");
  }

  @Test
  void aCertificateThatIsNotACaIsRefused() throws Exception {
    KeyPair keys = TestKeys.ec();
    Path cert = pem(TestKeys.selfSigned(keys, "CN=www.example.test", NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(30)), false, KeyUsage.digitalSignature));
    Path key = keyFile(TestKeys.pkcs8(keys.getPrivate(), null));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the certificate in " + cert + " ('CN=www.example.test') is not a CA certificate (it lacks"
            + " basicConstraints CA:true); give the CA's own certificate, e.g. one made by 'schoolgate ca init'");
  }

  @Test
  void aCaThatMayNotSignCertificatesIsRefused() throws Exception {
    KeyPair keys = TestKeys.ec();
    Path cert = pem(TestKeys.selfSigned(keys, "CN=CRL Signer", NOW.minus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(30)), true, KeyUsage.cRLSign));
    Path key = keyFile(TestKeys.pkcs8(keys.getPrivate(), null));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the certificate in " + cert + " ('CN=CRL Signer') may not sign certificates (its keyUsage"
            + " lacks keyCertSign); give a CA made for issuing certificates, e.g. by 'schoolgate ca init'");
  }

  @Test
  void anExpiredCaIsRefusedWithTheWayToReplaceIt() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    ca.save(cert, key, false);
    Instant end = ca.certificate().getNotAfter().toInstant();
    clock.set(end.plusSeconds(1));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the certificate in " + cert + " ('CN=Example School Schoolgate CA,O=Schoolgate') expired on "
            + end + "; make a new CA ('schoolgate ca init --force') and deploy it to the school's devices");
  }

  @Test
  void aCaNotValidYetPointsAtTheServersClock() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    ca.save(cert, key, false);
    clock.set(NOW.minus(Duration.ofDays(1)));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the certificate in " + cert + " ('CN=Example School Schoolgate CA,O=Schoolgate') is not valid"
            + " until " + NOW.minus(Duration.ofHours(1)) + "; check this server's clock");
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    SchoolCa other = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path key = keyFile(TestKeys.pkcs8(other.privateKey(), null));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the private key in " + key + " does not belong to the certificate in " + cert
            + " ('CN=Example School Schoolgate CA,O=Schoolgate'); give the key that was made together with the"
            + " certificate");
  }

  @Test
  void anRsaKeyBesideAnEcCertificateIsRefusedAsNotBelonging() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path key = keyFile(TestKeys.pkcs8(TestKeys.rsa(2048).getPrivate(), null));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock)).hasMessageContaining("does not belong to");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw----", "rw-rw-rw-"})
  void aKeyFileOtherUsersCanReadIsRefusedWithTheChmodThatFixesIt(String permissions) throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    ca.save(cert, key, false);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the CA key " + key + " can be read or written by other users (permissions " + permissions
            + "); refusing to use it. Run: chmod 600 " + key);
  }

  @Test
  void anEncryptedKeyWithoutItsPasswordIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path key = keyFile(TestKeys.pkcs8(ca.privateKey(), PASSWORD));

    assertThatThrownBy(() -> SchoolCa.load(cert, key, null, clock))
        .hasMessage("the private key in " + key + " is encrypted (expected: its password, or an unencrypted key"
            + " file with permissions 0600)");
  }

  @Test
  void anEncryptedKeyWithTheWrongPasswordIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path cert = certificateFile(ca.certificatePem());
    Path pkcs8 = keyFile(TestKeys.pkcs8(ca.privateKey(), PASSWORD));
    Path traditional = TestKeys.write(dir.resolve("ca-traditional.key"),
        TestKeys.traditional(ca.privateKey(), PASSWORD), "rw-------");

    for (Path key : List.of(pkcs8, traditional)) {
      assertThatThrownBy(() -> SchoolCa.load(cert, key, "wrong".toCharArray(), clock))
          .hasMessage("could not decrypt the private key in " + key + " (wrong password?)");
    }
  }

  @Test
  void aPkcs12FileWithTheWrongPasswordIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path p12 = TestKeys.pkcs12(dir.resolve("ca.p12"), ca.privateKey(), ca.certificate(), PASSWORD);

    assertThatThrownBy(() -> SchoolCa.loadPkcs12(p12, "wrong".toCharArray(), clock))
        .hasMessage("could not open the PKCS#12 file " + p12 + " (wrong password?)");
  }

  @Test
  void aPkcs12FileOtherUsersCanReadIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    Path p12 = TestKeys.pkcs12(dir.resolve("ca.p12"), ca.privateKey(), ca.certificate(), PASSWORD);
    Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> SchoolCa.loadPkcs12(p12, PASSWORD, clock))
        .hasMessage("the CA key " + p12 + " can be read or written by other users (permissions rw-r--r--);"
            + " refusing to use it. Run: chmod 600 " + p12);
  }

  @Test
  void aPkcs12FileWithOnlyCertificatesIsRefused() throws Exception {
    SchoolCa ca = SchoolCa.generate("Example School", clock);
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    Path p12 = dir.resolve("trust.p12");
    try (var out = Files.newOutputStream(p12)) {
      store.store(out, PASSWORD);
    }
    Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> SchoolCa.loadPkcs12(p12, PASSWORD, clock))
        .hasMessage("there is no private key with a certificate in the PKCS#12 file " + p12 + " (expected: the CA's"
            + " key and certificate, e.g. 'openssl pkcs12 -export -inkey ca.key -in ca.pem')");
  }

  private Path pem(X509Certificate certificate) throws Exception {
    return certificateFile(TestKeys.certificatePem(certificate));
  }

  /** Writes {@code text} as the CA certificate file, readable by all as a certificate may be. */
  private Path certificateFile(String text) throws Exception {
    return TestKeys.write(dir.resolve("ca.pem"), text, "rw-r--r--");
  }

  /** Writes {@code text} as the CA key file, readable by its owner only (0600). */
  private Path keyFile(String text) throws Exception {
    return TestKeys.write(dir.resolve("ca.key"), text, "rw-------");
  }
}
