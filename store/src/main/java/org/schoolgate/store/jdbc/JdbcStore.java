package org.schoolgate.store.jdbc;

import java.time.Clock;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** The JDBC implementation of {@link Store} (being written: see the store helper's branch). */
public final class JdbcStore {
  private JdbcStore() {}

  public static Store open(DatabaseConfig config, Clock clock) {
    throw new UnsupportedOperationException("JdbcStore is not written yet");
  }
}
