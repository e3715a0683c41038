package org.schoolgate.identity.binding;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Change;

/**
 * Client address → the person there, filled by logon sessions, RADIUS accounting and the sign-in
 * page, read by the proxy for every request.
 *
 * <p>Design notes. The table is a {@link ConcurrentHashMap} keyed by {@link InetAddress} (whose
 * {@code equals}/{@code hashCode} compare the address bytes without allocating; the JDK turns
 * IPv4-mapped IPv6 addresses into {@code Inet4Address}, so both spellings meet). {@link #find} is
 * one {@code get} and one time comparison: no lock, no allocation, no I/O. A copy-on-write
 * immutable map was rejected: RADIUS interim updates from a few thousand devices would copy a
 * 10,000-entry map thousands of times a second. Each address holds one slot: its latest change.
 * A new binding replaces whatever the address held (sources that disagree: the most recent wins,
 * by {@code madeAt}); an end leaves a tombstone with its time, so a late echo of an older binding
 * (from the journal, another node, or a slow source) cannot bring the ended one back. Bindings are
 * checked against the caller's {@code now} at read, so one that has run out is never returned
 * even before the sweep removes it; the {@code schoolgate-bindings} thread ({@link BindingKeeper})
 * sweeps, writes changes to the {@link BindingJournal} and applies other nodes' changes. Writers
 * (admin API threads, the RADIUS thread) update memory at once and hand the journal write to that
 * thread: a database outage never delays a logon or an accounting answer.
 */
public final class BindingTable implements AddressBindings, AutoCloseable {
  /** How long an ended binding's tombstone is kept (longer than other nodes take to see the end). */
  static final Duration TOMBSTONE = Duration.ofMinutes(5);

  /** One address's latest change. */
  record Slot(AddressBinding binding, String source, Instant madeAt, boolean ended) {
    boolean inForce(Instant now) {
      return !ended && binding.activeAt(now);
    }
  }

  private final ConcurrentHashMap<InetAddress, Slot> slots = new ConcurrentHashMap<>(16_384);
  private final Clock clock;
  private final IdentityMetrics metrics;
  private volatile BindingKeeper keeper;

  private BindingTable(Clock clock, IdentityMetrics metrics) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** A table in memory only: nothing is written, nothing swept unless {@link #sweep} is called. */
  public static BindingTable inMemory(Clock clock, IdentityMetrics metrics) {
    return new BindingTable(clock, metrics);
  }

  /**
   * Loads the bindings in force from {@code journal} and starts the {@code schoolgate-bindings}
   * thread (journal writes, sweeps every {@code sweepEvery}, other nodes' changes every {@code syncEvery}).
   */
  public static BindingTable open(BindingJournal journal, Clock clock, IdentityMetrics metrics, Duration syncEvery,
      Duration sweepEvery) {
    BindingTable table = new BindingTable(clock, metrics);
    BindingJournal.Page loaded = journal.active(clock.instant());
    for (JournalEntry entry : loaded.entries()) {
      table.apply(entry);
    }
    table.keeper = BindingKeeper.start(table, journal, clock, metrics, loaded.version(), syncEvery, sweepEvery);
    metrics.bindingsInForce(table, table::count);
    return table;
  }

  @Override
  public AddressBinding find(InetAddress client, Instant now) {
    Slot slot = slots.get(client);
    return slot != null && slot.inForce(now) ? slot.binding : null;
  }

  /**
   * Binds {@code address} to {@code binding.user()} until {@code binding.until()}, replacing what
   * the address held; {@code source} says who reported it (kept with the row, never a meter tag).
   *
   * @throws IllegalArgumentException when the binding has already ended
   */
  public void bind(InetAddress address, AddressBinding binding, String source) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(source, "source");
    Instant now = now();
    if (!binding.activeAt(now)) {
      throw new IllegalArgumentException("the binding of " + address.getHostAddress() + " to " + binding.user()
          + " ends " + binding.until() + ", before now (" + now + ")");
    }
    Slot made = new Slot(binding, source, now, false);
    slots.compute(address, (k, old) -> old != null && old.madeAt.isAfter(now) ? old : made);
    metrics.change(binding.method(), Change.BOUND);
    journal(new JournalEntry(address, binding, source, now, false));
  }

  /**
   * Ends the binding of {@code address} at once, if one is in force and ({@code user} not null)
   * it is {@code user}'s (compared ignoring case): a late logoff of the previous user never ends
   * the next one's binding.
   *
   * @return the binding that ended, or null when none did
   */
  public AddressBinding end(InetAddress address, String user) {
    Instant now = now();
    Slot[] ended = new Slot[1];
    slots.computeIfPresent(address, (k, old) -> {
      if (!old.inForce(now) || (user != null && !old.binding.user().equalsIgnoreCase(user))) {
        return old;
      }
      ended[0] = tombstone(old, now);
      return ended[0];
    });
    if (ended[0] == null) {
      return null;
    }
    metrics.change(ended[0].binding.method(), Change.ENDED);
    journal(new JournalEntry(address, ended[0].binding, ended[0].source, now, true));
    return ended[0].binding;
  }

  /** Ends every binding {@code source} reported (a NAS that restarted); returns how many. */
  public int endAllFrom(String source) {
    int n = 0;
    for (Map.Entry<InetAddress, Slot> e : slots.entrySet()) {
      Slot s = e.getValue();
      if (s.source.equals(source) && s.inForce(now()) && end(e.getKey(), s.binding.user()) != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Removes bindings that ran out (counted as expired) and tombstones older than {@link #TOMBSTONE};
   * returns how many bindings expired.
   */
  public int sweep(Instant now) {
    int expired = 0;
    Instant oldTombstones = now.minus(TOMBSTONE);
    for (Map.Entry<InetAddress, Slot> e : slots.entrySet()) {
      Slot s = e.getValue();
      if (s.ended ? s.madeAt.isBefore(oldTombstones) : !s.binding.activeAt(now)) {
        if (slots.remove(e.getKey(), s) && !s.ended) {
          metrics.change(s.binding.method(), Change.EXPIRED);
          expired++;
        }
      }
    }
    return expired;
  }

  /** A change read from the journal (a restart, another node): applied when newer than the address's own. */
  boolean apply(JournalEntry entry) {
    Slot incoming = new Slot(entry.binding(), entry.source(), entry.madeAt(), entry.ended());
    boolean[] applied = new boolean[1];
    slots.compute(entry.address(), (k, old) -> {
      if (old != null && !entry.madeAt().isAfter(old.madeAt)) {
        return old;
      }
      applied[0] = true;
      return incoming;
    });
    return applied[0];
  }

  /** Bindings in force now by method (the gauge); walks the table. */
  public int count(AuthMethod method) {
    Instant now = clock.instant();
    int n = 0;
    for (Slot s : slots.values()) {
      if (s.binding.method() == method && s.inForce(now)) {
        n++;
      }
    }
    return n;
  }

  /** Addresses held, tombstones included (tests, benchmarks). */
  public int size() {
    return slots.size();
  }

  /** Writes what is still queued for the journal and stops the thread; the table stays readable. */
  @Override
  public void close() {
    BindingKeeper k = keeper;
    if (k != null) {
      k.close();
    }
  }

  private void journal(JournalEntry entry) {
    BindingKeeper k = keeper;
    if (k != null) {
      k.enqueue(entry);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS); // what the journal keeps, so echoes compare equal
  }

  private static Slot tombstone(Slot old, Instant now) {
    AddressBinding b = old.binding;
    return new Slot(new AddressBinding(b.user(), b.directoryGroups(), b.method(), now), old.source, now, true);
  }
}
