package org.schoolgate.admin.signin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Decides, before the password is checked, whether a sign-in attempt may proceed.
 *
 * <p>Design: a lock-out keyed by account alone is a denial-of-service tool (anyone who can reach
 * the sign-in can lock the DSL out), so the hard lock is keyed by account <em>and</em> client
 * address: {@code addressFailures} failures in a row from one address lock that address out of
 * that account for {@code firstLock}, doubling per further failure up to {@code maxLock}; the
 * owner at another address is not affected. Against many addresses at once there is an
 * account-wide cap that never locks: once {@code accountFailures} failures from all addresses
 * fall within {@code accountWindow}, every attempt on the account — the right password too, so
 * the delay tells nothing — is answered {@code slowStep} later per further failure, at most
 * {@code maxSlow}. Attempts are counted when they begin (a success takes its count back), so
 * parallel attempts from one address cannot slip past the lock. Unknown usernames are throttled
 * like real ones, so a lock-out says nothing about whether an account exists.
 *
 * <p>State lives in memory (two Caffeine caches on the injected clock, bounded in size; entries
 * expire once nothing about them can matter any more): a restart forgets lock-outs, and with
 * several nodes each counts its own attempts.
 */
public final class SignInThrottle {
  private static final int MAX_ADDRESS_ENTRIES = 100_000;
  private static final int MAX_ACCOUNT_ENTRIES = 10_000;
  private static final int MAX_NAME = 64;

  /** What to do with an attempt. */
  public sealed interface Verdict {
    /** Check the password, and answer no sooner than {@code delay} from now (zero: at once). */
    record Proceed(Duration delay) implements Verdict {}

    /**
     * Refuse without checking the password: this address is locked out of the account until
     * {@code until}; {@code first} for the first refusal of this lock-out (the one to audit).
     */
    record Locked(Instant until, boolean first) implements Verdict {}
  }

  private record Key(String username, String address) {}

  private record AddressState(int failures, Instant lockedUntil, boolean refused) {}

  private final SignInLimits limits;
  private final Clock clock;
  private final Cache<Key, AddressState> addresses;
  private final Cache<String, ArrayDeque<Instant>> accounts;
  private final int keptFailures;

  public SignInThrottle(SignInLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.addresses = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ADDRESS_ENTRIES)
        .expireAfterWrite(limits.maxLock().plus(limits.accountWindow())).build();
    this.accounts = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ACCOUNT_ENTRIES)
        .expireAfterWrite(limits.accountWindow()).build();
    long steps = limits.maxSlow().toMillis() / Math.max(1, limits.slowStep().toMillis());
    this.keptFailures = (int) Math.min(10_000, limits.accountFailures() + steps + 1);
  }

  /** An attempt for {@code username} from {@code address} begins. */
  public Verdict begin(String username, String address) {
    Instant now = clock.instant();
    Key key = new Key(name(username), Objects.requireNonNull(address, "address"));
    Verdict[] locked = new Verdict[1];
    addresses.asMap().compute(key, (k, s) -> {
      if (s != null && s.lockedUntil() != null && s.lockedUntil().isAfter(now)) {
        locked[0] = new Verdict.Locked(s.lockedUntil(), !s.refused());
        return new AddressState(s.failures(), s.lockedUntil(), true);
      }
      int failures = (s == null ? 0 : s.failures()) + 1;
      Instant until = failures >= limits.addressFailures() ? now.plus(lockFor(failures)) : null;
      return new AddressState(failures, until, false);
    });
    return locked[0] != null ? locked[0] : new Verdict.Proceed(delay(key.username(), now));
  }

  /** The attempt {@link #begin} let through had the right password: the address starts afresh. */
  public void succeeded(String username, String address) {
    addresses.invalidate(new Key(name(username), address));
  }

  /** The attempt {@link #begin} let through failed: it counts towards the account-wide cap. */
  public void failed(String username) {
    Instant now = clock.instant();
    accounts.asMap().compute(name(username), (k, times) -> {
      ArrayDeque<Instant> t = times == null ? new ArrayDeque<>() : times;
      t.addLast(now);
      while (t.size() > keptFailures) {
        t.removeFirst();
      }
      return t;
    });
  }

  /** How long a locked address waits after {@code failures} failures in a row. */
  Duration lockFor(int failures) {
    int doublings = Math.min(30, failures - limits.addressFailures());
    Duration lock = limits.firstLock().multipliedBy(1L << doublings);
    return lock.compareTo(limits.maxLock()) > 0 ? limits.maxLock() : lock;
  }

  private Duration delay(String username, Instant now) {
    int[] recent = new int[1];
    accounts.asMap().computeIfPresent(username, (k, times) -> {
      Instant from = now.minus(limits.accountWindow());
      while (!times.isEmpty() && !times.peekFirst().isAfter(from)) {
        times.removeFirst();
      }
      recent[0] = times.size();
      return times.isEmpty() ? null : times;
    });
    int over = recent[0] - limits.accountFailures() + 1;
    if (over <= 0) {
      return Duration.ZERO;
    }
    Duration delay = limits.slowStep().multipliedBy(over);
    return delay.compareTo(limits.maxSlow()) > 0 ? limits.maxSlow() : delay;
  }

  private static String name(String username) {
    String n = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
  }
}
