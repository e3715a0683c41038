package org.schoolgate.identity.verify;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.kerberos.SpnegoAcceptor;
import org.schoolgate.identity.kerberos.TokenCheck;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Verifier}: checks Basic passwords against the password sources in order (the
 * directory, then local accounts) and Negotiate tokens with the keytab, off the event loops,
 * cached, throttled and failing closed.
 *
 * <h2>Design notes</h2>
 * <p><b>Threads.</b> Every source call runs on this verifier's own pool ({@code
 * schoolgate-identity-N}, a bounded queue): a full queue answers {@link Verification.Unavailable}
 * at once and is counted; nothing here ever runs a source on the caller's thread.
 *
 * <p><b>Cache.</b> Verified passwords are kept in a Caffeine {@link AsyncCache} keyed by the user
 * name and an HMAC of name and password under a per-process random key ({@link CredentialKey}):
 * never the password. Entries live {@link VerifierSettings#cacheFor()} from the moment the source
 * answered (on the injected {@link Ticker}; see {@link FromCheck} for why not from Caffeine's own
 * stamp), so a changed password or group takes effect at most that much later,
 * and a directory outage is bridged for that long for people already verified, while unknown ones
 * are refused (unavailable). Concurrent first requests with the same credentials share one
 * in-flight future, so the directory is asked once per person per period however busy the proxy
 * is. Only verified results are kept: a refusal or an outage is removed from the cache as soon
 * as its load completes (requests that joined the load share its answer), so a wrong password is
 * never cached as good.
 * Groups for Kerberos users and address bindings have their own cache by user name.
 *
 * <p><b>Lock-outs.</b> Before a password reaches the directory the {@link Throttle} is asked:
 * at most {@link VerifierSettings#failuresPerUser()} wrong passwords per user name (two below the
 * directory's own lock-out threshold) and {@link VerifierSettings#failuresPerClient()} per client
 * address per window, so a pupil cannot lock a teacher's domain account through the proxy. A
 * cached good password is answered before the throttle, so the real person keeps working.
 *
 * <p><b>Enumeration.</b> An unknown user and a wrong password get the same refusal
 * ({@link Verification#WRONG}), count the same against the throttle, and cost the same directory
 * round trips (the directory source binds a dummy name for unknown users).
 *
 * <p><b>A directory that hangs.</b> Each source has a circuit breaker (Resilience4j, injected
 * clock): when half of the last 10 calls failed or timed out, the source is not asked for
 * {@link VerifierSettings#circuitOpenFor()}; calls answer unavailable at once, then one trial call
 * decides whether to close it. Timeouts themselves are the source's (LDAP connect and response
 * timeouts).
 */
public final class CredentialVerifier implements Verifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialVerifier.class);

  private final List<Source> sources;
  private final SpnegoAcceptor kerberos;
  private final IdentityMetrics metrics;
  private final ThreadPoolExecutor executor;
  private final Ticker ticker;
  private final AsyncCache<CredentialKey, Checked> passwords;
  private final AsyncCache<String, Checked> groups;
  private final CredentialKey.Maker keys = new CredentialKey.Maker();
  private final Throttle throttle;
  private final long cacheForNanos;
  /**
   * Each verified password answer's {@link Lease}, by the very {@link Verification.Verified} the
   * password cache holds (weak keys compare by identity; a lease never refers to its key, so an
   * entry goes when the verification is no longer used).
   */
  private final Cache<Verification, Lease> leases;
  /** Bumped by {@link #invalidateAll()}: every lease given out before it ends. */
  private volatile int generation;

  /** A password source with its metric tag and circuit breaker. */
  private record Source(PasswordSource source, IdentityMetrics.Source tag, CircuitBreaker breaker) {}

  /** A cached answer and the ticker reading when the source gave it. */
  private record Checked(Verification verification, long at) {}

  /**
   * Entries live {@code cacheFor} from the moment the source answered ({@link Checked#at()}), not
   * from the moment Caffeine stamps the completed future: Caffeine stamps an async entry in a
   * callback on the load's future, which may run after the caller has seen the answer (and after a
   * test has moved the ticker). Measuring from the answer makes the period exact however late the
   * stamp lands.
   */
  private record FromCheck<K>(long cacheForNanos) implements Expiry<K, Checked> {
    @Override
    public long expireAfterCreate(K key, Checked c, long now) {
      return Math.max(0, c.at() + cacheForNanos - now);
    }

    @Override
    public long expireAfterUpdate(K key, Checked c, long now, long current) {
      return expireAfterCreate(key, c, now);
    }

    @Override
    public long expireAfterRead(K key, Checked c, long now, long current) {
      return current;
    }
  }

  /**
   * @param directory the school's directory, or null
   * @param localAccounts Schoolgate's local proxy accounts, or null
   * @param kerberos the Negotiate acceptor, or null when no keytab is configured
   * @param ticker the caches' and throttle's time source ({@link Ticker#systemTicker()} in production)
   * @param clock the circuit breakers' time source
   */
  public CredentialVerifier(VerifierSettings settings, PasswordSource directory, PasswordSource localAccounts,
      SpnegoAcceptor kerberos, IdentityMetrics metrics, Ticker ticker, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.kerberos = kerberos;
    CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(10)
        .minimumNumberOfCalls(5).failureRateThreshold(50).waitDurationInOpenState(settings.circuitOpenFor())
        .permittedNumberOfCallsInHalfOpenState(1).automaticTransitionFromOpenToHalfOpenEnabled(false)
        .clock(clock).build();
    List<Source> list = new ArrayList<>();
    if (directory != null) {
      list.add(new Source(directory, IdentityMetrics.Source.LDAP, CircuitBreaker.of("directory", breakerConfig)));
    }
    if (localAccounts != null) {
      list.add(new Source(localAccounts, IdentityMetrics.Source.LOCAL, CircuitBreaker.of("local", breakerConfig)));
    }
    this.sources = List.copyOf(list);
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(settings.queue()), r -> {
          Thread t = new Thread(r, "schoolgate-identity-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    long cacheFor = settings.cacheFor().toNanos();
    this.cacheForNanos = cacheFor;
    this.leases = Caffeine.newBuilder().weakKeys().maximumSize(settings.maxCachedUsers()).build();
    this.passwords = Caffeine.newBuilder().expireAfter(new FromCheck<CredentialKey>(cacheFor))
        .maximumSize(settings.maxCachedUsers()).ticker(ticker).buildAsync();
    this.groups = Caffeine.newBuilder().expireAfter(new FromCheck<String>(cacheFor))
        .maximumSize(settings.maxCachedUsers()).ticker(ticker).buildAsync();
    this.throttle = new Throttle(settings.failuresPerUser(), settings.failuresPerClient(), settings.lockoutWindow(),
        ticker);
    metrics.gauges(() -> passwords.synchronous().estimatedSize(),
        () -> sources.stream().anyMatch(s -> s.breaker().getState() == CircuitBreaker.State.OPEN) ? 1 : 0);
  }

  @Override
  public CompletableFuture<Verification> verify(ProxyCredentials credentials, InetAddress client) {
    if (credentials instanceof ProxyCredentials.Basic basic) {
      try {
        return basic(basic, client);
      } finally {
        basic.clear();
      }
    }
    if (credentials instanceof ProxyCredentials.Negotiate negotiate) {
      return negotiate(negotiate.token());
    }
    ProxyCredentials.Malformed m = (ProxyCredentials.Malformed) credentials;
    Verification.Refusal refusal = m.problem() == ProxyCredentials.Problem.TOO_LARGE
        ? Verification.Refusal.TOO_LARGE : Verification.Refusal.MALFORMED;
    metrics.refusal(refusal);
    return CompletableFuture.completedFuture(new Verification.Refused(refusal, m.reason()));
  }

  private CompletableFuture<Verification> basic(ProxyCredentials.Basic basic, InetAddress client) {
    if (sources.isEmpty()) {
      return done(AuthMethod.BASIC, new Verification.Refused(Verification.Refusal.NOT_OFFERED,
          "sign-in with a user name and password is not set up on this Schoolgate"));
    }
    String user = userName(basic.user());
    if (user.isEmpty()) {
      return done(AuthMethod.BASIC, new Verification.Refused(Verification.Refusal.MALFORMED, "the user name is empty"));
    }
    CredentialKey key = keys.of(user, basic.password());
    CompletableFuture<Checked> cached = passwords.getIfPresent(key);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      Checked c = cached.join();
      if (ticker.read() - (c.at() + cacheForNanos) < 0) {
        // the common case, answered from this one look-up (no password copy, no second look-up)
        metrics.cache(IdentityMetrics.CacheResult.HIT);
        metrics.verification(AuthMethod.BASIC, c.verification());
        return CompletableFuture.completedFuture(c.verification());
      }
      // past its period by the directory's answer, though Caffeine has not stamped it yet (its
      // stamp is a callback that may land late): asked again, never served a moment longer
      passwords.asMap().remove(key, cached);
      cached = null;
    }
    if (cached == null) {
      Verification.Refusal throttled = throttle.check(user, client);
      if (throttled != null) {
        return done(AuthMethod.BASIC, new Verification.Refused(throttled,
            "too many wrong passwords; wait a few minutes and try again"));
      }
    }
    char[] password = basic.password().clone();
    boolean[] started = {false};
    CompletableFuture<Checked> load;
    try {
      load = passwords.get(key, (k, e) -> {
        started[0] = true;
        return CompletableFuture.supplyAsync(() -> leased(checked(authenticate(user, password, client))), executor);
      });
    } catch (RejectedExecutionException e) {
      Arrays.fill(password, '\0');
      metrics.rejected();
      return done(AuthMethod.BASIC, new Verification.Unavailable(
          "too many sign-ins are being checked at once; try again in a moment"));
    }
    if (!started[0]) {
      Arrays.fill(password, '\0');
      metrics.cache(load.isDone() ? IdentityMetrics.CacheResult.HIT : IdentityMetrics.CacheResult.JOINED);
      if (load.isDone() && !load.isCompletedExceptionally()) {
        Verification v = load.join().verification();
        metrics.verification(AuthMethod.BASIC, v);
        return CompletableFuture.completedFuture(v);
      }
    } else {
      metrics.cache(IdentityMetrics.CacheResult.MISS);
      CompletableFuture<Checked> loading = load;
      load.whenComplete((c, e) -> {
        if (c == null || !(c.verification() instanceof Verification.Verified)) {
          passwords.asMap().remove(key, loading);
        }
      });
    }
    return load.handle((c, e) -> {
      Verification result = c != null ? c.verification() : outcomeOf(e);
      metrics.verification(AuthMethod.BASIC, result);
      return result;
    });
  }

  /** Runs on the executor: the answer stamped with the time it was given (the cache period starts here). */
  private Checked checked(Verification v) {
    return new Checked(v, ticker.read());
  }

  /** Runs on the executor: a verified password's answer gets its lease (see {@link #reuse}). */
  private Checked leased(Checked c) {
    if (c.verification() instanceof Verification.Verified) {
      leases.put(c.verification(), new Lease(c.at() + cacheForNanos, generation));
    }
    return c;
  }

  /**
   * A verified password's answer may be given again for the same credentials until the cache
   * period that began with the directory's answer ends, or until {@link #invalidateAll()}: exactly
   * as long as the password cache would answer with it (a cache entry dropped early for room is
   * still within the period the school configured).
   */
  @Override
  public Reuse reuse(Verification verified) {
    Lease lease = verified instanceof Verification.Verified ? leases.getIfPresent(verified) : null;
    return lease == null ? Reuse.NEVER : lease;
  }

  /** See {@link #reuse}; refers to the verifier, never to the verification. */
  private final class Lease implements Reuse {
    private final long until;
    private final int madeIn;

    Lease(long until, int madeIn) {
      this.until = until;
      this.madeIn = madeIn;
    }

    @Override
    public boolean reuse() {
      if (ticker.read() - until >= 0 || generation != madeIn) {
        return false;
      }
      metrics.cache(IdentityMetrics.CacheResult.HIT);
      metrics.verifiedAgain(AuthMethod.BASIC);
      return true;
    }
  }

  /** Runs on the executor: asks each source in order. */
  private Verification authenticate(String user, char[] password, InetAddress client) {
    try {
      String down = null;
      for (Source s : sources) {
        PasswordSource.Answer answer;
        try {
          answer = call(s, () -> s.source().authenticate(user, password));
        } catch (SourceDownException e) {
          down = e.getMessage();
          continue;
        }
        if (answer instanceof PasswordSource.Found found) {
          return new Verification.Verified(found.user(), found.groups(), AuthMethod.BASIC);
        }
        if (answer instanceof PasswordSource.WrongPassword) {
          throttle.failed(user, client);
          return new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, Verification.WRONG);
        }
      }
      if (down != null) {
        return new Verification.Unavailable(down);
      }
      throttle.failed(user, client);
      return new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, Verification.WRONG);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private CompletableFuture<Verification> negotiate(byte[] token) {
    if (kerberos == null) {
      return done(AuthMethod.NEGOTIATE, new Verification.Refused(Verification.Refusal.NOT_OFFERED,
          "Kerberos sign-in (Negotiate) is not set up on this Schoolgate"));
    }
    if (token.length > SpnegoAcceptor.MAX_TOKEN_BYTES) {
      return done(AuthMethod.NEGOTIATE, new Verification.Refused(Verification.Refusal.TOO_LARGE,
          "the Negotiate token is " + token.length + " bytes (expected: at most " + SpnegoAcceptor.MAX_TOKEN_BYTES + ")"));
    }
    CompletableFuture<TokenCheck> check;
    try {
      check = CompletableFuture.supplyAsync(() -> timed(IdentityMetrics.Source.KERBEROS, () -> kerberos.accept(token)),
          executor);
    } catch (RejectedExecutionException e) {
      metrics.rejected();
      return done(AuthMethod.NEGOTIATE, new Verification.Unavailable(
          "too many sign-ins are being checked at once; try again in a moment"));
    }
    return check.thenCompose(c -> {
      if (c instanceof TokenCheck.Rejected r) {
        log.info("Negotiate token refused: {}", r.message());
        return CompletableFuture.<Verification>completedFuture(new Verification.Refused(r.refusal(), r.message()));
      }
      String user = ((TokenCheck.Accepted) c).user();
      return lookUpGroups(user, AuthMethod.NEGOTIATE).thenApply(g -> g instanceof Verification.Refused
          ? new Verification.Verified(user, List.of(), AuthMethod.NEGOTIATE) // a principal the directory lacks: no groups
          : g);
    }).handle((v, e) -> {
      Verification result = v != null ? v : outcomeOf(e);
      metrics.verification(AuthMethod.NEGOTIATE, result);
      return result;
    });
  }

  @Override
  public CompletableFuture<Verification> groupsOf(String user, AuthMethod method) {
    return lookUpGroups(userName(user), method).thenApply(v -> {
      metrics.verification(method, v);
      return v;
    });
  }

  private CompletableFuture<Verification> lookUpGroups(String user, AuthMethod method) {
    if (sources.isEmpty()) {
      return CompletableFuture.completedFuture(new Verification.Verified(user, List.of(), method));
    }
    boolean[] started = {false};
    String key = user.toLowerCase(java.util.Locale.ROOT);
    CompletableFuture<Checked> load;
    try {
      load = groups.get(key, (k, e) -> {
        started[0] = true;
        return CompletableFuture.supplyAsync(() -> checked(findGroups(user)), executor);
      });
    } catch (RejectedExecutionException e) {
      metrics.rejected();
      return CompletableFuture.completedFuture(new Verification.Unavailable(
          "too many look-ups are waiting; try again in a moment"));
    }
    metrics.cache(started[0] ? IdentityMetrics.CacheResult.MISS
        : load.isDone() ? IdentityMetrics.CacheResult.HIT : IdentityMetrics.CacheResult.JOINED);
    if (started[0]) {
      CompletableFuture<Checked> loading = load;
      load.whenComplete((c, e) -> {
        if (c == null || !(c.verification() instanceof Verification.Verified)) {
          groups.asMap().remove(key, loading);
        }
      });
    }
    return load.handle((c, e) -> c == null ? outcomeOf(e) : c.verification()).thenApply(v -> v instanceof Verification.Verified found
        ? new Verification.Verified(found.user(), found.directoryGroups(), method) : v);
  }

  /** Runs on the executor: the first source that knows the user. */
  private Verification findGroups(String user) {
    String down = null;
    for (Source s : sources) {
      try {
        PasswordSource.Answer answer = call(s, () -> s.source().groups(user));
        if (answer instanceof PasswordSource.Found found) {
          return new Verification.Verified(found.user(), found.groups(), AuthMethod.SUBNET);
        }
      } catch (SourceDownException e) {
        down = e.getMessage();
      }
    }
    return down != null ? new Verification.Unavailable(down)
        : new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, "the directory has no such user");
  }

  /** One call to a source through its circuit breaker, timed and counted. */
  private PasswordSource.Answer call(Source s, SourceCall call) throws SourceDownException {
    if (!s.breaker().tryAcquirePermission()) {
      metrics.call(s.tag(), IdentityMetrics.CallOutcome.CIRCUIT_OPEN, -1);
      throw new SourceDownException("the directory is not answering (" + s.source().describe()
          + "); it is not asked again for a while", false, null);
    }
    long start = System.nanoTime();
    try {
      PasswordSource.Answer answer = call.run();
      long took = System.nanoTime() - start;
      s.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
      metrics.call(s.tag(), IdentityMetrics.CallOutcome.OK, took);
      return answer;
    } catch (SourceDownException e) {
      long took = System.nanoTime() - start;
      s.breaker().onError(took, TimeUnit.NANOSECONDS, e);
      metrics.call(s.tag(), e.timeout() ? IdentityMetrics.CallOutcome.TIMEOUT : IdentityMetrics.CallOutcome.FAILED,
          took);
      log.warn("{} could not answer: {}", s.source().describe(), e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      long took = System.nanoTime() - start;
      s.breaker().onError(took, TimeUnit.NANOSECONDS, e);
      metrics.call(s.tag(), IdentityMetrics.CallOutcome.FAILED, took);
      log.error("{} failed", s.source().describe(), e);
      throw new SourceDownException(s.source().describe() + " failed: " + e, false, e);
    }
  }

  private TokenCheck timed(IdentityMetrics.Source tag, java.util.function.Supplier<TokenCheck> call) {
    long start = System.nanoTime();
    TokenCheck c = call.get();
    metrics.call(tag, IdentityMetrics.CallOutcome.OK, System.nanoTime() - start);
    return c;
  }

  /** The user name as directories take it: trimmed, without {@code DOMAIN\} in front. */
  static String userName(String given) {
    String u = given.strip();
    int slash = u.lastIndexOf('\\');
    return slash >= 0 ? u.substring(slash + 1).strip() : u;
  }

  private CompletableFuture<Verification> done(AuthMethod method, Verification v) {
    metrics.verification(method, v);
    return CompletableFuture.completedFuture(v);
  }

  private Verification outcomeOf(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof RejectedExecutionException) {
      metrics.rejected();
      return new Verification.Unavailable("too many sign-ins are being checked at once; try again in a moment");
    }
    log.error("checking credentials failed", cause);
    return new Verification.Unavailable("the sign-in could not be checked: " + cause);
  }

  /** Clears the caches (tests, and after the directory settings change). */
  public synchronized void invalidateAll() {
    generation++;
    leases.invalidateAll();
    passwords.synchronous().invalidateAll();
    groups.synchronous().invalidateAll();
  }

  /** Verified credentials held now. */
  public long cachedUsers() {
    passwords.synchronous().cleanUp();
    return passwords.synchronous().estimatedSize();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @FunctionalInterface
  private interface SourceCall {
    PasswordSource.Answer run() throws SourceDownException;
  }
}
