package org.schoolgate.proxy.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.metrics.ProxyMetrics;

class LeafCertificatesTest {
  private static final Instant START = Instant.parse("2026-09-01T08:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);

  private final MutableClock clock = new MutableClock(START);
  private final SchoolCa ca = SchoolCa.generate("Example School", clock);
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "leaf-maker"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LeafCertificates leaves =
      new LeafCertificates(ca, executor, clock, WEEK, 100, new ProxyMetrics(registry));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aLeafVerifiesAgainstTheCaWithPkixAndCarriesTheServerExtensions() throws Exception {
    X509Certificate leaf = leaf("www.example.test");

    validate(leaf, Date.from(START));
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "www.example.test"));
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=www.example.test,O=Schoolgate");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getKeyUsage()[5]).as("keyCertSign").isFalse();
    assertThat(keyId(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()), true))
        .isEqualTo(keyId(ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId()), false));
    assertThat(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(START.minus(Duration.ofHours(1)));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(START.plus(WEEK));
    assertThat(leaf.getSerialNumber().signum()).isPositive();
    assertThat(leaf.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(leaves.caCertificate()).isEqualTo(ca.certificate());
  }

  @Test
  void aLeafDoesNotValidateAfterItsValidityEnds() throws Exception {
    X509Certificate leaf = leaf("www.example.test");

    assertThatThrownBy(() -> validate(leaf, Date.from(START.plus(WEEK).plusSeconds(1))))
        .hasMessageContaining("validity check failed");
  }

  @Test
  void leavesOfDifferentHostsHaveDifferentSerialsAndShareTheLeafKey() throws Exception {
    X509Certificate a = leaf("a.example.test");
    X509Certificate b = leaf("b.example.test");

    assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    assertThat(a.getPublicKey()).isEqualTo(b.getPublicKey());
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "[::1], 0:0:0:0:0:0:0:1",
      "2001:DB8::5, 2001:db8:0:0:0:0:0:5"})
  void anIpLiteralGetsAnIpAddressSan(String host, String san) throws Exception {
    X509Certificate leaf = leaf(host);

    validate(leaf, Date.from(START));
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, san));
  }

  @Test
  void anRsaCaLoadedFromFilesSignsLeavesThatVerify(@TempDir Path dir) throws Exception {
    KeyPair keys = TestKeys.rsa(3072);
    X509Certificate rsaCa = TestKeys.selfSigned(keys, "CN=Imported RSA CA", START.minus(Duration.ofDays(1)),
        START.plus(Duration.ofDays(365)), true, KeyUsage.keyCertSign | KeyUsage.cRLSign);
    Path cert = TestKeys.write(dir.resolve("ca.pem"), TestKeys.certificatePem(rsaCa), "rw-r--r--");
    Path key = TestKeys.write(dir.resolve("ca.key"), TestKeys.pkcs8(keys.getPrivate(), null), "rw-------");
    SchoolCa loaded = SchoolCa.load(cert, key, null, clock);

    X509Certificate leaf = new LeafCertificates(loaded, executor, clock, WEEK, 10).leaf("www.example.test")
        .get(10, TimeUnit.SECONDS).certificate();

    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(rsaCa, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(START));
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), parameters);
  }

  @Test
  void aNameTooLongForACommonNameGoesInTheSanOnly() throws Exception {
    String host = "a".repeat(60) + ".example.test";

    X509Certificate leaf = leaf(host);

    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("O=Schoolgate");
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, host));
  }

  @Test
  void aLeafNeverOutlivesTheCa() throws Exception {
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    clock.set(caEnd.minus(Duration.ofDays(2)));

    X509Certificate leaf = leaf("www.example.test");

    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(caEnd);
    validate(leaf, Date.from(caEnd.minusSeconds(1)));
  }

  @Test
  void anExpiredCaFailsGenerationAndTheFailureIsNotCached() throws Exception {
    clock.set(ca.certificate().getNotAfter().toInstant().plusSeconds(1));

    CompletableFuture<SslContext> failed = leaves.serverContext("www.example.test");

    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CaException.class)
        .hasMessage("the school's CA expired on " + ca.certificate().getNotAfter().toInstant()
            + "; make a new one ('schoolgate ca init --force'), deploy it and restart");
    clock.set(START);
    assertThat(leaves.serverContext("www.example.test").get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aCachedHostReturnsTheSameContextAndOneNameInAnyCaseSharesIt() throws Exception {
    SslContext first = context("www.example.test");

    assertThat(context("www.example.test")).isSameAs(first);
    assertThat(context("WWW.Example.TEST.")).isSameAs(first);
    assertThat(context("other.example.test")).isNotSameAs(first);
    assertThat(leaves.serverContext("www.example.test")).isCompleted();
    assertThat(registry.get(ProxyMetrics.CA_LEAVES_GENERATED).counter().count()).isEqualTo(2.0);
    assertThat(registry.get(ProxyMetrics.CA_LEAF_GENERATION).timer().count()).isEqualTo(2);
  }

  @Test
  void aCachedContextIsReplacedHalfwayThroughItsLeafsLifetime() throws Exception {
    SslContext first = context("www.example.test");

    clock.advance(WEEK.dividedBy(2).minusSeconds(1));
    assertThat(context("www.example.test")).isSameAs(first);

    clock.advance(Duration.ofSeconds(2));
    SslContext renewed = context("www.example.test");
    assertThat(renewed).isNotSameAs(first);
    X509Certificate leaf = leaf("www.example.test");
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(START.plus(WEEK.dividedBy(2)).plusSeconds(1).plus(WEEK));
    assertThat(registry.get(ProxyMetrics.CA_LEAVES_GENERATED).counter().count()).isEqualTo(2.0);
  }

  @Test
  void concurrentCallsForOneHostShareOneGeneration() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService gated = Executors.newSingleThreadExecutor(r -> new Thread(r, "gated-leaf-maker"));
    try {
      gated.execute(() -> await(release));
      SimpleMeterRegistry counted = new SimpleMeterRegistry();
      LeafCertificates shared = new LeafCertificates(ca, gated, clock, WEEK, 100, new ProxyMetrics(counted));
      int callers = 16;
      CountDownLatch ready = new CountDownLatch(callers);
      List<CompletableFuture<SslContext>> futures = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        CompletableFuture<SslContext> result = new CompletableFuture<>();
        futures.add(result);
        Thread t = new Thread(() -> {
          ready.countDown();
          await(ready);
          shared.serverContext("www.example.test").whenComplete((c, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(c);
            }
          });
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(10_000);
      }
      assertThat(futures).noneMatch(CompletableFuture::isDone);

      release.countDown();

      SslContext first = futures.get(0).get(10, TimeUnit.SECONDS);
      for (CompletableFuture<SslContext> f : futures) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(counted.get(ProxyMetrics.CA_LEAVES_GENERATED).counter().count()).isEqualTo(1.0);
    } finally {
      release.countDown();
      gated.shutdownNow();
    }
  }

  @Test
  void generationRunsOnTheExecutorNeverOnTheCallersThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService gated = Executors.newSingleThreadExecutor(r -> new Thread(r, "gated-leaf-maker"));
    try {
      gated.execute(() -> await(release));
      LeafCertificates onExecutor = new LeafCertificates(ca, gated, clock, WEEK, 100);
      AtomicReference<String> completedOn = new AtomicReference<>();

      CompletableFuture<SslContext> future = onExecutor.serverContext("www.example.test");
      CompletableFuture<Void> seen = future.thenRun(() -> completedOn.set(Thread.currentThread().getName()));

      assertThat(future).as("generation waits for the executor, not done by the caller").isNotDone();
      release.countDown();
      seen.get(10, TimeUnit.SECONDS);
      assertThat(completedOn.get()).isEqualTo("gated-leaf-maker");
    } finally {
      release.countDown();
      gated.shutdownNow();
    }
  }

  @Test
  void anExecutorThatRefusesWorkFailsTheFutureWithAReason() {
    ExecutorService stopped = Executors.newSingleThreadExecutor();
    stopped.shutdown();
    LeafCertificates refused = new LeafCertificates(ca, stopped, clock, WEEK, 100);

    CompletableFuture<SslContext> future = refused.serverContext("www.example.test");

    assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
        .isInstanceOf(CaException.class)
        .hasMessage("the leaf certificate executor refused the work (it is shut down or its queue is full)");
  }

  @Test
  void theCacheHoldsAtMostCacheSizeHosts() throws Exception {
    LeafCertificates small = new LeafCertificates(ca, executor, clock, WEEK, 3);

    for (int i = 0; i < 20; i++) {
      small.serverContext("host" + i + ".example.test").get(10, TimeUnit.SECONDS);
    }

    assertThat(small.cachedHosts()).isLessThanOrEqualTo(3);
  }

  @Test
  void theDefaultExecutorRunsOnNamedDaemonThreadsAndRefusesWorkBeyondItsQueue() throws Exception {
    ExecutorService leafExecutor = LeafCertificates.newExecutor(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      LeafCertificates onDefault = new LeafCertificates(ca, leafExecutor, clock, WEEK, 5000);
      assertThat(onDefault.serverContext("www.example.test").get(10, TimeUnit.SECONDS)).isNotNull();
      // asked on the executor itself: a callback chained on a finished future would run on this thread
      Thread thread = leafExecutor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      assertThat(thread.getName()).isEqualTo("schoolgate-leaves-1");
      assertThat(thread.isDaemon()).isTrue();

      leafExecutor.execute(() -> await(release));
      List<CompletableFuture<SslContext>> queued = new ArrayList<>();
      for (int i = 0; i < 1025; i++) {
        queued.add(onDefault.serverContext("host" + i + ".example.test"));
      }
      assertThat(queued.get(1024)).isCompletedExceptionally();
      assertThat(queued.subList(0, 1024)).noneMatch(CompletableFuture::isDone);
      release.countDown();
      assertThat(queued.get(1023).get(120, TimeUnit.SECONDS)).isNotNull();
    } finally {
      release.countDown();
      leafExecutor.shutdownNow();
    }
    assertThatThrownBy(() -> LeafCertificates.newExecutor(0)).hasMessage("leaf executor threads 0 (expected: >= 1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "exa mple.test", "bad..example.test", "-bad.example.test", "ünïcode.test",
      "fe80::1%eth0", "1.2.3.4:443", "*.example.test"})
  void aHostThatIsNeitherANameNorAnAddressFailsTheFuture(String host) {
    CompletableFuture<SslContext> future = leaves.serverContext(host);

    assertThatThrownBy(future::join).cause().isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: ");
  }

  @Test
  void theConstructorRefusesValiditiesAndCacheSizesThatCannotWork() {
    assertThatThrownBy(() -> new LeafCertificates(ca, executor, clock, Duration.ofMinutes(5), 100))
        .hasMessage("leaf validity PT5M (expected: from PT1H to 397 days, e.g. 7 days)");
    assertThatThrownBy(() -> new LeafCertificates(ca, executor, clock, Duration.ofDays(500), 100))
        .hasMessage("leaf validity PT12000H (expected: from PT1H to 397 days, e.g. 7 days)");
    assertThatThrownBy(() -> new LeafCertificates(ca, executor, clock, WEEK, 0))
        .hasMessage("leaf cache size 0 (expected: >= 1)");
  }

  private SslContext context(String host) throws Exception {
    return leaves.serverContext(host).get(10, TimeUnit.SECONDS);
  }

  private X509Certificate leaf(String host) throws Exception {
    return leaves.leaf(host).get(10, TimeUnit.SECONDS).certificate();
  }

  private void validate(X509Certificate leaf, Date at) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(at);
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), parameters);
  }

  private static byte[] keyId(byte[] extension, boolean authority) {
    byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
    return authority ? AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifier()
        : ASN1OctetString.getInstance(inner).getOctets();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
