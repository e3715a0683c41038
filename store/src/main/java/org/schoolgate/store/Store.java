package org.schoolgate.store;

import java.time.Clock;

/**
 * The open database and its stores. {@link #open} runs the Flyway migrations first, so a new
 * SQLite file or an empty PostgreSQL database is ready to use. It opens the implementation the
 * class path provides ({@link StoreFactory}, the JDBC one in {@code org.schoolgate.store.jdbc}):
 * this package is the contract alone and names no implementation.
 *
 * <pre>{@code
 * try (Store store = Store.open(DatabaseConfig.sqlite(dataDir), Clock.systemUTC())) {
 *   store.audit().verify();
 * }
 * }</pre>
 */
public interface Store extends AutoCloseable {

  /** Opens (and migrates) the database; fails with a message naming the URL and the problem. */
  static Store open(DatabaseConfig config, Clock clock) {
    return open(config, clock, IncidentSettings.DEFAULTS);
  }

  /** Opens (and migrates) the database, joining alerts into incidents as {@code incidents} says. */
  static Store open(DatabaseConfig config, Clock clock, IncidentSettings incidents) {
    return StoreFactories.factory().open(config, clock, incidents);
  }

  AccountStore accounts();

  SessionStore sessions();

  UnblockStore unblocks();

  AuditTrail audit();

  AlertStore alerts();

  /** The DSL's incident log (alerts for the DSL open or join incidents as they are raised). */
  IncidentStore incidents();

  /** Delivery of the alert outbox to email and webhooks. */
  DeliveryStore deliveries();

  /** TOTP second factors and recovery codes (admin, dsl, senior-leader accounts). */
  SecondFactorStore secondFactors();

  /** Who is at which client address (logon sessions, RADIUS, the sign-in page). */
  BindingStore bindings();

  /** Local proxy accounts, for schools without a directory (not the admin accounts). */
  ProxyAccountStore proxyAccounts();

  /** Guest vouchers for the sign-in page (a named guest, one day). */
  GuestVoucherStore guestVouchers();

  /** Notifications for people (console list, email copies). */
  NotificationStore notifications();

  /** Reports of wrongly blocked or wrongly allowed sites (the technicians' inbox). */
  SiteReportStore siteReports();

  /**
   * The alert rules' threshold counts shared by the nodes on this database (used on PostgreSQL,
   * where several nodes may run; one SQLite node counts in memory).
   */
  AlertTally alertTally();

  /** "sqlite" or "postgresql". */
  String vendor();

  /**
   * Checks that the database takes a write now: begins a write transaction, runs an UPDATE that
   * matches no row and rolls back, so nothing is written. A read-only or unreachable database (or
   * one another process keeps locked) is {@link StoreProbe.Unusable}. Blocks up to the pool's
   * connection timeout; call it from a health thread, never an event loop.
   */
  StoreProbe probe();

  @Override
  void close();
}
