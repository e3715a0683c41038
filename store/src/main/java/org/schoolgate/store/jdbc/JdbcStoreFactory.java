package org.schoolgate.store.jdbc;

import java.time.Clock;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreFactory;

/**
 * The JDBC store (SQLite or PostgreSQL, migrated by Flyway), found by {@link Store#open} through
 * {@code META-INF/services/org.schoolgate.store.StoreFactory}. Public only for the service loader.
 */
public final class JdbcStoreFactory implements StoreFactory {

  @Override
  public Store open(DatabaseConfig config, Clock clock, IncidentSettings incidents) {
    return JdbcStore.open(config, clock, PasswordHasher.production(), incidents);
  }
}
