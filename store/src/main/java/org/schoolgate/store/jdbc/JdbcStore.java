package org.schoolgate.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.BindingStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.NotificationStore;
import org.schoolgate.store.SiteReportStore;
import org.schoolgate.store.DeliveryStore;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreProbe;
import org.schoolgate.store.StoreUnavailableException;
import org.schoolgate.store.UnblockStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC implementation of {@link Store}: a HikariCP pool, migrated by Flyway on open. Opened
 * through {@link Store#open} ({@link JdbcStoreFactory}); tests here open it with a cheap hasher.
 */
final class JdbcStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  private final HikariDataSource pool;
  private final boolean postgres;
  private final Database db;
  private final JdbcAccountStore accounts;
  private final JdbcSessionStore sessions;
  private final JdbcSecondFactorStore secondFactors;
  private final JdbcUnblockStore unblocks;
  private final JdbcAuditTrail audit;
  private final JdbcAlertStore alerts;
  private final JdbcIncidentStore incidents;
  private final JdbcDeliveryStore deliveries;
  private final JdbcBindingStore bindings;
  private final JdbcProxyAccountStore proxyAccounts;
  private final JdbcGuestVoucherStore guestVouchers;
  private final JdbcNotificationStore notifications;
  private final JdbcSiteReportStore siteReports;
  private final JdbcAlertTally alertTally;

  private JdbcStore(HikariDataSource pool, boolean postgres, Clock clock, PasswordHasher hasher,
      IncidentSettings incidentSettings, String node) {
    this.pool = pool;
    this.postgres = postgres;
    this.db = new Database(pool, postgres, clock, node);
    AuditWriter writer = new AuditWriter(db);
    this.accounts = new JdbcAccountStore(db, writer, hasher);
    this.sessions = new JdbcSessionStore(db, writer);
    AlertRows alertRows = new AlertRows(db, writer);
    NotificationRows notificationRows = new NotificationRows(db);
    this.unblocks = new JdbcUnblockStore(db, writer, alertRows, notificationRows);
    this.notifications = new JdbcNotificationStore(db, writer);
    this.siteReports = new JdbcSiteReportStore(db, writer, notificationRows);
    this.audit = new JdbcAuditTrail(db, writer);
    IncidentRows incidentRows = new IncidentRows(db, writer, incidentSettings);
    this.alerts = new JdbcAlertStore(db, writer, alertRows, incidentRows);
    this.incidents = new JdbcIncidentStore(db, writer, incidentRows, alertRows);
    this.deliveries = new JdbcDeliveryStore(db);
    this.bindings = new JdbcBindingStore(db);
    this.proxyAccounts = new JdbcProxyAccountStore(db, writer, hasher);
    this.secondFactors = new JdbcSecondFactorStore(db, writer);
    this.guestVouchers = new JdbcGuestVoucherStore(db, writer);
    this.alertTally = new JdbcAlertTally(db);
  }

  /** Tests pass a cheap {@link PasswordHasher}. */
  static JdbcStore open(DatabaseConfig config, Clock clock, PasswordHasher hasher) {
    return open(config, clock, hasher, IncidentSettings.DEFAULTS);
  }

  static JdbcStore open(DatabaseConfig config, Clock clock, PasswordHasher hasher, IncidentSettings incidents) {
    Objects.requireNonNull(incidents, "incidents");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    HikariDataSource pool = Pools.create(config);
    try {
      Migrations.migrate(pool, config);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    LOG.info("store open: {} ({} password hashing)", Pools.redact(config.jdbcUrl()), hasher);
    return new JdbcStore(pool, config.isPostgres(), clock, hasher, incidents, config.node());
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  @Override
  public SessionStore sessions() {
    return sessions;
  }

  @Override
  public org.schoolgate.store.SecondFactorStore secondFactors() {
    return secondFactors;
  }

  @Override
  public UnblockStore unblocks() {
    return unblocks;
  }

  @Override
  public AuditTrail audit() {
    return audit;
  }

  @Override
  public AlertStore alerts() {
    return alerts;
  }

  @Override
  public IncidentStore incidents() {
    return incidents;
  }

  @Override
  public DeliveryStore deliveries() {
    return deliveries;
  }

  @Override
  public BindingStore bindings() {
    return bindings;
  }

  @Override
  public org.schoolgate.store.ProxyAccountStore proxyAccounts() {
    return proxyAccounts;
  }

  @Override
  public org.schoolgate.store.GuestVoucherStore guestVouchers() {
    return guestVouchers;
  }

  @Override
  public NotificationStore notifications() {
    return notifications;
  }

  @Override
  public SiteReportStore siteReports() {
    return siteReports;
  }

  @Override
  public org.schoolgate.store.AlertTally alertTally() {
    return alertTally;
  }

  @Override
  public String vendor() {
    return postgres ? "postgresql" : "sqlite";
  }

  @Override
  public StoreProbe probe() {
    long start = System.nanoTime();
    try {
      db.probe();
      return new StoreProbe.Writable(vendor(), Duration.ofNanos(System.nanoTime() - start));
    } catch (StoreUnavailableException e) {
      return new StoreProbe.Unusable(vendor(), e.getMessage());
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
