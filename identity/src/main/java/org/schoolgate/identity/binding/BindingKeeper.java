package org.schoolgate.identity.binding;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code schoolgate-bindings} thread: writes the table's changes to the journal in batches
 * (one transaction per batch; the changes of one address coalesce to the latest), sweeps expired
 * bindings, picks up other nodes' changes by the journal's version, and purges old rows. Changes
 * wait in a map keyed by address, so the queue is bounded by the addresses in use; past
 * {@link #MAX_PENDING} addresses a change is dropped from the journal (memory still has it) and
 * counted. A journal that fails is retried, 1 s doubling to 30 s, with nothing lost meanwhile.
 */
final class BindingKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BindingKeeper.class);
  static final int MAX_PENDING = 200_000;
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  /** Rows that ended this long ago are deleted from the journal. */
  static final Duration KEEP_ENDED = Duration.ofDays(1);
  private static final long MAX_NAP = Duration.ofMillis(100).toNanos();

  private final ConcurrentHashMap<InetAddress, JournalEntry> pending = new ConcurrentHashMap<>();
  private final BindingTable table;
  private final BindingJournal journal;
  private final Clock clock;
  private final IdentityMetrics metrics;
  private final Duration syncEvery;
  private final Duration sweepEvery;
  private final Thread thread;
  private volatile boolean running = true;
  private long version;

  private BindingKeeper(BindingTable table, BindingJournal journal, Clock clock, IdentityMetrics metrics,
      long version, Duration syncEvery, Duration sweepEvery) {
    this.table = table;
    this.journal = journal;
    this.clock = clock;
    this.metrics = metrics;
    this.version = version;
    this.syncEvery = syncEvery;
    this.sweepEvery = sweepEvery;
    this.thread = new Thread(this::run, "schoolgate-bindings");
    thread.setDaemon(true);
  }

  static BindingKeeper start(BindingTable table, BindingJournal journal, Clock clock, IdentityMetrics metrics,
      long version, Duration syncEvery, Duration sweepEvery) {
    if (syncEvery.toMillis() < 10 || sweepEvery.toMillis() < 10) {
      throw new IllegalArgumentException("binding sync " + syncEvery + " / sweep " + sweepEvery
          + " (expected: at least 10 ms each)");
    }
    BindingKeeper keeper = new BindingKeeper(table, journal, clock, metrics, version, syncEvery, sweepEvery);
    keeper.thread.start();
    return keeper;
  }

  void enqueue(JournalEntry entry) {
    if (pending.size() >= MAX_PENDING && !pending.containsKey(entry.address())) {
      metrics.journal(Journal.DROPPED, 1);
      return;
    }
    pending.merge(entry.address(), entry, (old, e) -> e.madeAt().isBefore(old.madeAt()) ? old : e);
    LockSupport.unpark(thread);
  }

  private void run() {
    long nextSync = System.nanoTime() + syncEvery.toNanos();
    long nextSweep = System.nanoTime() + sweepEvery.toNanos();
    long nextPurge = System.nanoTime();
    long retryAt = 0;
    long backoff = Duration.ofSeconds(1).toNanos();
    while (running) {
      LockSupport.parkNanos(MAX_NAP);
      long t = System.nanoTime();
      if (!pending.isEmpty() && t - retryAt >= 0) {
        if (flush()) {
          backoff = Duration.ofSeconds(1).toNanos();
        } else {
          retryAt = t + backoff;
          backoff = Math.min(backoff * 2, Duration.ofSeconds(30).toNanos());
        }
      }
      try {
        if (t - nextSync >= 0) {
          nextSync = t + syncEvery.toNanos();
          sync();
        }
        if (t - nextSweep >= 0) {
          nextSweep = t + sweepEvery.toNanos();
          table.sweep(clock.instant());
        }
        if (t - nextPurge >= 0) {
          nextPurge = t + PURGE_EVERY.toNanos();
          journal.purge(clock.instant().minus(KEEP_ENDED));
        }
      } catch (RuntimeException e) {
        log.warn("address bindings: {} (retrying)", e.getMessage());
      }
    }
  }

  /** Writes every pending change in one batch; false (changes put back) when the journal failed. */
  private boolean flush() {
    List<JournalEntry> batch = new ArrayList<>(Math.min(pending.size(), 4096));
    for (Iterator<Map.Entry<InetAddress, JournalEntry>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<InetAddress, JournalEntry> e = it.next();
      if (pending.remove(e.getKey(), e.getValue())) {
        batch.add(e.getValue());
      }
    }
    if (batch.isEmpty()) {
      return true;
    }
    try {
      journal.write(batch);
      metrics.journal(Journal.WRITTEN, batch.size());
      return true;
    } catch (RuntimeException e) {
      metrics.journal(Journal.FAILED, 1);
      log.warn("address bindings: {} change(s) not written yet: {} (retrying)", batch.size(), e.getMessage());
      for (JournalEntry entry : batch) {
        pending.merge(entry.address(), entry, (newer, old) -> newer.madeAt().isBefore(old.madeAt()) ? old : newer);
      }
      return false;
    }
  }

  private void sync() {
    BindingJournal.Page page = journal.changedSince(version);
    int applied = 0;
    for (JournalEntry entry : page.entries()) {
      if (table.apply(entry)) {
        applied++;
      }
    }
    version = page.version();
    if (applied > 0) {
      metrics.journal(Journal.REMOTE, applied);
    }
  }

  /** Stops the thread, then writes what is still pending (once). */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!pending.isEmpty() && !flush()) {
      log.warn("address bindings: {} change(s) could not be written before shutdown", pending.size());
    }
  }

}
