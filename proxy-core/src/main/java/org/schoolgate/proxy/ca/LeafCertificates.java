package org.schoolgate.proxy.ca;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * Server-side TLS contexts presenting a leaf certificate for one host, signed by the school's CA.
 *
 * <pre>{@code
 * ExecutorService leafExecutor = LeafCertificates.newExecutor(2);   // shut down by the owner
 * LeafCertificates leaves = new LeafCertificates(ca, leafExecutor, clock, Duration.ofDays(7), 10_000, metrics);
 * leaves.serverContext(sniHost).whenComplete((context, failure) ->
 *     channel.eventLoop().execute(() -> ...context.newHandler(channel.alloc())...));
 * }</pre>
 *
 * <p><b>Threads.</b> Generation (a signature and a Netty {@code SslContext}) runs on the executor
 * given here, never on the caller's thread, so an event loop may call {@link #serverContext} and
 * carry on. A cached host returns an already completed future (its dependent stages then run at
 * once on the caller's thread); concurrent calls for a host that is being generated share that one
 * generation. A failed generation is not cached: the next call tries again.
 *
 * <p><b>Leaves.</b> {@code CN=host, O=Schoolgate} (the CN left out for names over 64 characters),
 * one SAN (DNS name, or IP address for an IP literal), CA:false, digitalSignature, serverAuth, SKI
 * and AKI (the CA's key identifier), a random 128-bit serial; valid from an hour before now (for
 * devices whose clocks run behind) until now + validity, never after the CA itself expires.
 *
 * <p><b>One leaf key.</b> All leaves share one EC P-256 key pair made when this object is built and
 * kept only in memory. Making a key per leaf would add a key generation to every cache miss and
 * buy nothing: the leaf keys live in the same process as the CA key, which can sign for any host,
 * so one leaf key is no more exposed than many. A restart makes a new one.
 *
 * <p><b>Cache.</b> Caffeine, at most {@code cacheSize} hosts (beyond that it drops the hosts least
 * likely to be asked for again). An
 * entry expires halfway through its leaf's lifetime (3.5 days for 7-day leaves), so a context is
 * always handed out well before its certificate ends, and the next call makes a fresh leaf. Time
 * comes from the injected clock.
 *
 * <p>The TLS contexts offer ALPN {@code http/1.1} only (interception speaks HTTP/1.1 to the client);
 * a client that offers only other protocols gets no ALPN answer and may still talk.
 */
public final class LeafCertificates {
  /** Leaves start this long before now, like the CA, for devices whose clocks run behind. */
  static final Duration BACKDATE = Duration.ofHours(1);
  /** Shortest leaf validity accepted. */
  static final Duration MIN_VALIDITY = Duration.ofHours(1);
  /**
   * Longest leaf validity accepted: within every platform's rule (Apple refuses server certificates
   * valid over 825 days even from a CA the school installed, and over 398 from public CAs).
   */
  static final Duration MAX_VALIDITY = Duration.ofDays(397);

  private static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_1_1);

  private final SchoolCa ca;
  private final Executor executor;
  private final Clock clock;
  private final Duration validity;
  private final ProxyMetrics metrics;
  private final SecureRandom random = new SecureRandom();
  private final KeyPair leafKeys;
  private final PrivateKey signingKey;
  /**
   * Client certificates are never asked for; without a trust manager the JDK would read its whole
   * trust store again for every context, which cost more than the signature.
   */
  private final TrustManagerFactory noClientCertificates;
  private final Cache<String, CompletableFuture<Leaf>> cache;
  /** The cache's ticker counts from here: small values, so Caffeine's deadline sums never overflow. */
  private final Instant origin;

  /** A leaf certificate and the TLS context presenting it. */
  record Leaf(X509Certificate certificate, SslContext context) {}

  /** As {@link #LeafCertificates(SchoolCa, Executor, Clock, Duration, int, ProxyMetrics)}, without metrics. */
  public LeafCertificates(SchoolCa ca, Executor executor, Clock clock, Duration validity, int cacheSize) {
    this(ca, executor, clock, validity, cacheSize, null);
  }

  /**
   * @param ca the school's CA, which signs every leaf
   * @param executor where leaves are generated: a named, bounded executor such as {@link
   *     #newExecutor}; never an event loop, and never one that runs a task on the submitting
   *     thread ({@code CallerRunsPolicy}, {@code Runnable::run})
   * @param clock the time leaves and cache expiry are measured with
   * @param validity how long a leaf is valid (1 hour to 397 days; 7 days is a good choice)
   * @param cacheSize how many hosts' contexts to keep (at least 1)
   * @param metrics counts leaves and times their generation; may be null
   */
  public LeafCertificates(SchoolCa ca, Executor executor, Clock clock, Duration validity, int cacheSize,
      ProxyMetrics metrics) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(validity, "validity");
    if (validity.compareTo(MIN_VALIDITY) < 0 || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new IllegalArgumentException("leaf validity " + validity + " (expected: from " + MIN_VALIDITY + " to "
          + MAX_VALIDITY.toDays() + " days, e.g. 7 days)");
    }
    if (cacheSize < 1) {
      throw new IllegalArgumentException("leaf cache size " + cacheSize + " (expected: >= 1)");
    }
    this.validity = validity;
    this.metrics = metrics;
    this.leafKeys = Certificates.ecP256(random);
    this.noClientCertificates = trustingOnly(ca.certificate());
    try {
      this.signingKey = Certificates.forSigning(ca.privateKey());
    } catch (CaException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.origin = clock.instant();
    this.cache = Caffeine.newBuilder()
        .maximumSize(cacheSize)
        .executor(Runnable::run) // Caffeine's own upkeep (eviction) is a few steps on the caller; no hidden thread
        .ticker(() -> nanosSinceOrigin(clock.instant()))
        .expireAfter(new HalfLife())
        .build();
  }

  /**
   * Completes (on the executor, never the caller's thread) with a server-side Netty {@code
   * SslContext} presenting a leaf for {@code host} (SAN = host, or an IP SAN for an IP literal)
   * chained to the CA. Cached per host; concurrent calls for one host share one generation. A host
   * that is neither a DNS name nor an IP literal gives a failed future ({@link
   * IllegalArgumentException}); a generation failure completes it exceptionally with a {@link
   * CompletionException} whose cause is a {@link CaException}.
   */
  public CompletableFuture<SslContext> serverContext(String host) {
    return leaf(host).thenApply(Leaf::context);
  }

  /** The CA certificate leaves are chained to (what the school's devices must trust). */
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /**
   * An executor for leaf generation: {@code threads} daemon threads named {@code
   * schoolgate-leaves-N} and a queue of at most 1,024 waiting hosts; when it is full the call's
   * future fails at once (never runs on the caller). The caller shuts it down.
   */
  public static ExecutorService newExecutor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("leaf executor threads " + threads + " (expected: >= 1)");
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "schoolgate-leaves-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
        factory, new ThreadPoolExecutor.AbortPolicy());
  }

  /** The cached or new leaf for {@code host}. */
  CompletableFuture<Leaf> leaf(String host) {
    LeafNames name;
    try {
      name = LeafNames.of(host);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    String key = name.host();
    // The mapping function only hands the work to the executor; Caffeine runs it once per absent key.
    CompletableFuture<Leaf> future = cache.get(key, this::generateAsync);
    if (!future.isDone()) {
      future.whenComplete((leaf, failure) -> forgetFailure(key, future, failure));
    } else if (future.isCompletedExceptionally()) {
      cache.asMap().remove(key, future);
    }
    return future;
  }

  /** A failed generation is not cached: the next call for the host tries again. */
  private void forgetFailure(String key, CompletableFuture<Leaf> future, Throwable failure) {
    if (failure != null) {
      cache.asMap().remove(key, future);
    }
  }

  private static TrustManagerFactory trustingOnly(X509Certificate certificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("school-ca", certificate);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager for the school's CA", e);
    }
  }

  /** How many hosts the cache holds now, after pending evictions. */
  long cachedHosts() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private CompletableFuture<Leaf> generateAsync(String key) {
    try {
      return CompletableFuture.supplyAsync(() -> generate(key), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new CaException("the leaf certificate executor refused the work"
          + " (it is shut down or its queue is full)", e));
    }
  }

  private Leaf generate(String host) {
    long start = System.nanoTime();
    boolean ip = LeafNames.of(host).ipAddress(); // the key is already normal: a name stays a name
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    try {
      if (!notAfter.isAfter(now)) {
        throw new CaException("the school's CA expired on " + caEnd + "; make a new one ('schoolgate ca init"
            + " --force'), deploy it and restart");
      }
      X509Certificate leaf = Certificates.leaf(ca, signingKey, host, ip, leafKeys.getPublic(), now.minus(BACKDATE),
          notAfter, random);
      SslContext context = SslContextBuilder.forServer(new LeafKeyManager(leafKeys.getPrivate(), leaf, ca.certificate()))
          .trustManager(noClientCertificates)
          .applicationProtocolConfig(HTTP_1_1_ONLY)
          .build();
      if (metrics != null) {
        metrics.leafGenerated(System.nanoTime() - start);
      }
      return new Leaf(leaf, context);
    } catch (CaException e) {
      throw new CompletionException(e);
    } catch (SSLException e) {
      throw new CompletionException(new CaException("could not build the TLS context for " + host + ": "
          + e.getMessage(), e));
    }
  }

  private long nanosSinceOrigin(Instant instant) {
    return Duration.between(origin, instant).toNanos();
  }

  /**
   * An entry lives for half the lifetime of the leaf it is making (3.5 days for 7-day leaves;
   * less when the CA ends sooner), counted from when the host was first asked for. The leaf itself
   * is dated when the executor runs, a little later, so it always outlives its cache entry.
   */
  private final class HalfLife implements Expiry<String, CompletableFuture<Leaf>> {
    @Override
    public long expireAfterCreate(String key, CompletableFuture<Leaf> leaf, long currentTime) {
      Instant now = origin.plusNanos(currentTime);
      Instant notAfter = now.plus(validity);
      Instant caEnd = ca.certificate().getNotAfter().toInstant();
      if (notAfter.isAfter(caEnd)) {
        notAfter = caEnd;
      }
      return Math.max(0, Duration.between(now, notAfter).dividedBy(2).toNanos());
    }

    @Override
    public long expireAfterUpdate(String key, CompletableFuture<Leaf> leaf, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override
    public long expireAfterRead(String key, CompletableFuture<Leaf> leaf, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
