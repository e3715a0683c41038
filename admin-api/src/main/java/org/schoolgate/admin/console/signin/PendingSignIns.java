package org.schoolgate.admin.console.signin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.schoolgate.store.AccountId;

/**
 * Sign-ins whose password was right and whose second factor is still to come, in memory (a
 * restart only means typing the password again). Keyed by a random token in the
 * {@value #COOKIE} cookie; each lasts {@link #LIFE}, allows {@value #MAX_ATTEMPTS} wrong codes and
 * holds the secret offered for enrolment (which never goes into a form). At most
 * {@value #CAPACITY} at once: when full, expired entries are swept and, failing that, a new
 * sign-in is refused rather than anything older being dropped.
 */
final class PendingSignIns {
  static final String COOKIE = "schoolgate_pending";
  static final Duration LIFE = Duration.ofMinutes(10);
  static final int MAX_ATTEMPTS = 5;
  static final int CAPACITY = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One sign-in in progress. */
  static final class Pending {
    final AccountId account;
    final Instant expires;
    final String next;
    int wrongCodes;
    String offeredSecret;

    Pending(AccountId account, Instant expires, String next) {
      this.account = account;
      this.expires = expires;
      this.next = next;
    }
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Clock clock;

  PendingSignIns(Clock clock) {
    this.clock = clock;
  }

  /** Starts one; empty when {@value #CAPACITY} are in progress. */
  Optional<String> start(AccountId account, String next) {
    Instant now = clock.instant();
    if (pending.size() >= CAPACITY) {
      pending.values().removeIf(p -> !now.isBefore(p.expires));
      if (pending.size() >= CAPACITY) {
        return Optional.empty();
      }
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    pending.put(token, new Pending(account, now.plus(LIFE), next));
    return Optional.of(token);
  }

  Optional<Pending> find(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Pending p = pending.get(token);
    if (p == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(p.expires)) {
      pending.remove(token);
      return Optional.empty();
    }
    return Optional.of(p);
  }

  /** Counts a wrong code; true when the sign-in has used up its attempts (and is now gone). */
  boolean wrongCode(String token, Pending p) {
    synchronized (p) {
      p.wrongCodes++;
      if (p.wrongCodes >= MAX_ATTEMPTS) {
        pending.remove(token);
        return true;
      }
      return false;
    }
  }

  void finish(String token) {
    if (token != null) {
      pending.remove(token);
    }
  }

  int size() {
    return pending.size();
  }
}
