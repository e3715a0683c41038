/**
 * Persistence for everything that must survive a restart: accounts and roles, sessions and API
 * tokens, unblock requests, the alert outbox, the DSL's incident log (alerts for the DSL open or
 * join incidents in the transaction that raises them), and the hash-chained audit trail. JDBC with Flyway migrations;
 * SQLite in the data directory by default, PostgreSQL when the configured URL says so. Every
 * method here blocks on the database: call it from admin threads or named executors, never from
 * a proxy event loop.
 *
 * <p>The interfaces in this package are the contract the admin API codes against; {@link
 * org.schoolgate.store.Store#open} returns the JDBC implementation.
 */
package org.schoolgate.store;
