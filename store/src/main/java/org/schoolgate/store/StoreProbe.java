package org.schoolgate.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether the database takes a write now ({@link Store#probe()}): what the health check reports
 * for the store.
 */
public sealed interface StoreProbe {

  /** "sqlite" or "postgresql". */
  String vendor();

  /** A write transaction could begin and a write statement ran (nothing was changed). */
  record Writable(String vendor, Duration took) implements StoreProbe {
    public Writable {
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(took, "took");
    }
  }

  /**
   * The database could not be reached, or refused the write: read-only, locked by another
   * process, out of connections.
   *
   * @param problem what the database or driver said, e.g. {@code cannot execute UPDATE in a
   *     read-only transaction}
   */
  record Unusable(String vendor, String problem) implements StoreProbe {
    public Unusable {
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
