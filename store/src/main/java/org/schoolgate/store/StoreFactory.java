package org.schoolgate.store;

import java.time.Clock;

/**
 * Opens a {@link Store}: the seam between the store's contract and its implementation. The store
 * module's JDBC implementation registers one in {@code META-INF/services}; {@link Store#open} uses
 * the one found on the class path, so nothing outside {@code org.schoolgate.store.jdbc} names it.
 */
public interface StoreFactory {

  /** Opens (and migrates) the database; fails with a message naming the URL and the problem. */
  Store open(DatabaseConfig config, Clock clock, IncidentSettings incidents);
}
