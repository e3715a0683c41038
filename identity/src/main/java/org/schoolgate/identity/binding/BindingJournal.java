package org.schoolgate.identity.binding;

import java.time.Instant;
import java.util.List;

/**
 * Where the binding table is kept across restarts and shared between nodes: one row per address
 * holding its latest change. Implemented by deploy over the store ({@code address_bindings});
 * every call may block and is made on the {@code schoolgate-bindings} thread only.
 */
public interface BindingJournal {

  /**
   * Writes {@code entries} in one transaction; for each address the entry with the later
   * {@link JournalEntry#madeAt()} wins (an older one, e.g. from a slower node, changes nothing).
   * Moves the version on.
   */
  void write(List<JournalEntry> entries);

  /** Every binding in force at {@code now}, and the version they are current to. */
  Page active(Instant now);

  /** Every entry written after {@code version} (bindings and ends, from any node), oldest first. */
  Page changedSince(long version);

  /** Deletes rows whose binding ended before {@code before}; returns how many. */
  int purge(Instant before);

  /** Entries and the version they bring the reader to. */
  record Page(List<JournalEntry> entries, long version) {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  /** Keeps nothing: the table lives in memory only (tests, tools). */
  BindingJournal NONE = new BindingJournal() {
    @Override
    public void write(List<JournalEntry> entries) {}

    @Override
    public Page active(Instant now) {
      return new Page(List.of(), 0);
    }

    @Override
    public Page changedSince(long version) {
      return new Page(List.of(), version);
    }

    @Override
    public int purge(Instant before) {
      return 0;
    }

    @Override
    public String toString() {
      return "BindingJournal.NONE";
    }
  };
}
