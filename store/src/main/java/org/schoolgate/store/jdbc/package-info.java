/**
 * The JDBC implementation of the store: a HikariCP pool (SQLite file in WAL mode, or PostgreSQL),
 * Flyway migrations from {@code db/migration}, Argon2id password hashes, SHA-256-only token
 * storage, and the hash-chained audit trail whose appends are serialised by locking the one
 * {@code audit_head} row. Only {@link org.schoolgate.store.jdbc.JdbcStoreFactory} is public, for
 * the service loader behind {@link org.schoolgate.store.Store#open}.
 */
package org.schoolgate.store.jdbc;
