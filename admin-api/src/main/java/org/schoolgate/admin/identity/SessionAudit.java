package org.schoolgate.admin.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's view of logon sessions: one {@code identity.sessions} record per reporting
 * account per window (default 15 minutes) with how many sessions it started, ended and had
 * refused, the addresses it called from, and the first session of the window in full as a sample.
 * Logon scripts report every logon and logoff of every machine (thousands a day), which would
 * drown the trail and serialise on its hash chain; who was at which address is kept by the
 * binding table's rows and every request's access-log line, and the counts are also metrics
 * ({@code schoolgate.identity.sessions}). A summary is written by {@code schoolgate-session-audit}
 * when its window closes and at shutdown.
 */
public final class SessionAudit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionAudit.class);

  /** One caller's window; mutated only inside the map's compute for its key. */
  private static final class Tally {
    final Actor actor;
    final Instant from;
    int started;
    int ended;
    int refused;
    String sample;

    Tally(Actor actor, Instant from) {
      this.actor = actor;
      this.from = from;
    }
  }

  private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
  private final AuditTrail audit;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public SessionAudit(AuditTrail audit, Clock clock, Duration window) {
    this.audit = audit;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schoolgate-session-audit");
      t.setDaemon(true);
      return t;
    });
    long millis = window.toMillis();
    timer.scheduleAtFixedRate(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  void started(Caller caller, String user, String address, Instant until) {
    tallies.compute(caller.account().username(), (k, t) -> {
      Tally tally = t == null ? new Tally(caller.actor(), clock.instant()) : t;
      tally.started++;
      if (tally.sample == null) {
        tally.sample = "{\"user\":\"" + json(user) + "\",\"address\":\"" + address + "\",\"until\":\"" + until + "\"}";
      }
      return tally;
    });
  }

  void ended(Caller caller) {
    tallies.compute(caller.account().username(), (k, t) -> {
      Tally tally = t == null ? new Tally(caller.actor(), clock.instant()) : t;
      tally.ended++;
      return tally;
    });
  }

  void refused(Caller caller) {
    tallies.compute(caller.account().username(), (k, t) -> {
      Tally tally = t == null ? new Tally(caller.actor(), clock.instant()) : t;
      tally.refused++;
      return tally;
    });
  }

  /** Writes one summary per caller seen since the last flush; returns how many. */
  public int flush() {
    int written = 0;
    Instant to = clock.instant();
    for (String account : tallies.keySet()) {
      Tally t = tallies.remove(account);
      if (t == null) {
        continue;
      }
      String reason = t.started + " started, " + t.ended + " ended, " + t.refused + " refused";
      String after = "{\"from\":\"" + t.from + "\",\"to\":\"" + to + "\",\"started\":" + t.started + ",\"ended\":"
          + t.ended + ",\"refused\":" + t.refused + ",\"sample\":" + (t.sample == null ? "null" : t.sample) + "}";
      audit.append(new AuditEntry("identity.sessions", t.actor, "identity:sessions", reason, null, after));
      written++;
    }
    return written;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("logon-session audit summary not written: {} (the counts are in schoolgate.identity.sessions)",
          e.getMessage());
    }
  }

  /** Stops the timer and writes what is left. */
  @Override
  public void close() {
    timer.shutdownNow();
    flushQuietly();
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
