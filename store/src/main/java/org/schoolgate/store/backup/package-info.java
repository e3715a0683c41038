/**
 * A consistent copy of the database while Schoolgate runs, and putting one back: SQLite through
 * {@code VACUUM INTO} (one read transaction, so writers carry on), PostgreSQL through the
 * server's own {@code pg_dump} / {@code pg_restore}. Used by {@code schoolgate backup} and
 * {@code restore}; the archive around it (CA, policy, lists) is deploy's.
 */
package org.schoolgate.store.backup;
