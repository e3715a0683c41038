package org.schoolgate.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.schoolgate.admin.AdminConfig;
import org.schoolgate.admin.AdminServer;
import org.schoolgate.admin.tls.AdminTls;
import org.schoolgate.admin.client.ForwardingTrust;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.radius.AccountingServer;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.destination.DestinationSettings;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.proxy.log.DnsEvent;
import org.schoolgate.admin.signin.DirectoryRoles;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.resolver.DnsFilter;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.deploy.health.SchoolgateChecks;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.alerts.replay.AlertReplay;
import org.schoolgate.reports.Reports;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.Store;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.DeliveryWorker;
import org.schoolgate.alerts.delivery.EmailException;
import org.schoolgate.alerts.delivery.EmailSender;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.alerts.incident.DigestRunner;
import org.schoolgate.alerts.incident.DigestSchedule;
import org.schoolgate.alerts.incident.IncidentEscalator;
import org.schoolgate.alerts.incident.WeeklyDigest;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Schoolgate: the policy holder, the database, the proxy, the filtering DNS resolver,
 * the admin API and the safeguarding services sharing one meter registry. The database opens (and
 * migrates) first, then the admin API (the block page links to it), then the alert delivery,
 * escalation and digest threads, the alert engine, the proxy (whose access-log thread hands every
 * event to the engine) and the DNS resolver (whose queries go into the proxy's access log);
 * {@link #close()} stops them in reverse, so the alerts of the last requests are raised before the
 * database closes. Start-up that fails half way closes what it had started.
 */
final class Schoolgate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schoolgate.class);
  private final RuntimeConfig config;
  private final PolicyHolder holder;
  private final ProxyServer proxy;
  private final AdminServer admin;
  private final Store store;
  private final String setupToken;
  private final BindingTable bindings;
  /** Everything started, in start order; closed in reverse. */
  private final List<AutoCloseable> started;
  /** Why the filtering DNS resolver is not running, or null when it is. */
  private final String dnsFilterOff;

  private Schoolgate(RuntimeConfig config, PolicyHolder holder, ProxyServer proxy, AdminServer admin, Store store,
      String setupToken, BindingTable bindings, List<AutoCloseable> started, String dnsFilterOff) {
    this.dnsFilterOff = dnsFilterOff;
    this.config = config;
    this.holder = holder;
    this.proxy = proxy;
    this.admin = admin;
    this.store = store;
    this.setupToken = setupToken;
    this.bindings = bindings;
    this.started = started;
  }

  /**
   * Loads the policy and starts everything; fails without leaving anything running, and without
   * leaving behind the directories it created (the access log's, the SQLite file's).
   */
  static Schoolgate start(RuntimeConfig config, Clock clock) throws PolicyException, IOException {
    PolicyHolder holder = PolicyHolder.load(config.policy(), clock);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    countReloads(holder, registry);

    SafeguardingSettings safeguarding = config.safeguarding();
    NewDirectories created = new NewDirectories().expect(config.accessLogDir()).expectDatabase(config.database());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      // the certificate files first (the admin's, the school CA's): they create nothing, so a
      // missing one fails before anything is made
      AdminTls adminTls = AdminHttps.of(config, clock);
      Interception interception = null;
      if (config.interception() != null) {
        // the proxy decrypts pupils' tunnels to an https admin origin and connects on to it: it
        // trusts the admin's own certificate chain for origins
        interception = Interception.start(config.interception(),
            adminTls == null ? List.of() : adminTls.chain(), clock);
        started.add(interception);
      }
      Store store = Store.open(config.database(), clock, IncidentSettings.DEFAULTS
          .withJoinWindow(safeguarding.incidentJoinWindow()).withZone(holder.current().timezone()));
      started.add(store);
      // No account yet: a one-time token (printed in the banner, never logged) lets the school create
      // the first admin through the API; 'schoolgate accounts add' does the same from the shell.
      String setupToken = store.accounts().count() == 0 ? SetupToken.generate() : null;
      SchoolgateChecks checks = new SchoolgateChecks(holder, store, safeguarding.delivery() != null, clock);
      // The proxy vouches for the client addresses it forwards to the admin API with this key.
      String proxyKey = ProxyKey.generate();
      // Who is at which address: loaded from the database, kept by the schoolgate-bindings thread.
      IdentitySettings identity = config.identity();
      IdentityMetrics identityMetrics = new IdentityMetrics(registry);
      BindingTable bindings = BindingTable.open(new StoreBindingJournal(store.bindings()), clock, identityMetrics,
          identity.syncEvery(), IdentitySettings.SWEEP_EVERY);
      started.add(bindings);
      // The admin API starts first so the block page can link to its real address (port 0 in tests).
      // the admin API believes Forwarded only from the proxy (this key) or admin.trusted-proxies
      AdminConfig adminConfig = new AdminConfig(config.admin().listen(), config.maxUnblock(), setupToken,
          AdminConfig.DEFAULT_UNBLOCK_TICK, adminTls, config.admin().allowPlainHttp(),
          identity.sessions()).withForwarding(new ForwardingTrust(proxyKey, config.admin().trustedProxies()))
          .withOidc(config.oidc()).withSignIn(config.admin().signInLimits())
          .withDeviceGuesses(config.admin().deviceGuesses());
      // proxy sign-in sources (directory, keytab, local proxy accounts); the pipeline's 407 step calls
      // identity.service(); the admin API signs people in with directory credentials through its verifier
      Identity signIn = Identity.start(identity.signIn(), store.proxyAccounts(), bindings, identityMetrics, clock);
      started.add(signIn);
      signIn.warnIfUnchecked(holder.current());
      // The reports read the access log through DuckDB; the schoolgate-reports thread converts
      // finished days to Parquet and deletes days past reports.retention-days (audited). The
      // directory is created owner-only first: the reports would otherwise create it open to all.
      AccessLog.createDirectory(config.accessLogDir());
      Reports reports = Reports.start(config.accessLogDir(), config.reports(), holder, store, registry, clock);
      started.add(reports);
      AdminServer admin = AdminServer.start(adminConfig, holder, store, registry, clock, bindings, checks.checks(),
          new DirectoryRoles(signIn.verifier(), config.admin().directoryRoles()), java.util.Optional.of(reports));
      started.add(admin);
      if (config.database().isPostgres()) {
        // several nodes share the database: each follows the (shared) policy files by itself
        started.add(PolicyFollower.start(config.policy(), admin.policyReloads(), PolicyFollower.EVERY));
      }
      if (identity.radius() != null) {
        started.add(AccountingServer.start(identity.radius(), bindings, identityMetrics, clock));
      }
      String adminUrl = config.admin().effectivePublicUrl(admin.address());
      startSafeguarding(safeguarding, store, holder, registry, clock, adminUrl, config.accessLogDir(),
          config.reports().nodeLogs(), started);
      AccessLog.createDirectory(config.accessLogDir());
      // on PostgreSQL several nodes may share the database: the threshold rules count across them
      AlertEngine alerts = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS,
          () -> holder.current().alertPolicy(), config.accessLogDir(),
          config.database().isPostgres() ? store.alertTally() : null);
      started.add(alerts);
      // alerts a crash lost: the access log after the engine's checkpoint, before live events
      AlertReplay.run(alerts, config.accessLogDir(), holder.current().timezone(), clock);
      ProxyConfig.Builder proxyConfig = ProxyConfig.builder()
          .listen(config.proxy().listen())
          .accessLogDir(config.accessLogDir())
          .exports(config.logExports())
          .requestAccessUrl(adminUrl + "/request-access")
          .connectTimeout(config.proxy().connectTimeout())
          .idleTimeout(config.proxy().idleTimeout())
          .maxRequestLineBytes(config.proxy().maxRequestLineBytes())
          .connections(config.proxy().connections())
          .network(config.proxy().network())
          .contentAnalysis(config.proxy().contentAnalysis())
          .staticHosts(config.dns().staticHosts())
          .dnsServers(config.dns().servers())
          // the admin origin is exempt from the destination check (when clients reach it without
          // the proxy anyway) and gets the client's address in Forwarded, vouched for by this key.
          // The admin API has the same key (ForwardingTrust above).
          .destinations(new DestinationSettings(URI.create(adminUrl), proxyKey,
              DestinationSettings.DEFAULT_REFRESH));
      if (interception != null) {
        proxyConfig.interception(interception.settings());
      }
      // who is behind each request: proxy sign-in where the policy asks for it, address bindings
      // where it trusts them, else the subnet (without identity: the bindings and the subnet)
      ProxyServer proxy = ProxyServer.start(proxyConfig.build(), holder::current, registry, clock,
          new AlertingSink(alerts), signIn.service());
      started.add(proxy);
      // a reload's groups get their request counters on the reload thread, before requests see it
      holder.onCompiled(proxy::policyCompiled);
      checks.proxyStarted(proxy);
      // after the proxy, whose access log it writes to; so closed before it
      String dnsFilterOff = startDnsFilter(config.dns().filter(), holder, bindings, proxy, registry, clock, started);
      refreshHealth(admin);
      return new Schoolgate(config, holder, proxy, admin, store, setupToken, bindings, started, dnsFilterOff);
    } catch (RuntimeException | IOException e) {
      closeAll(started, e);
      created.removeAll(e);
      throw e;
    }
  }

  /** One health round now, so /healthz/ready says ready as soon as start returns. */
  /** The policy's generative-AI chat categories (the digest counts their use), {@code ai-chat} when it names none. */
  private static java.util.Set<String> aiCategories(PolicyHolder holder) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    holder.current().contentPolicy().aiCategories().forEach(c -> names.add(c.value()));
    return names.isEmpty() ? java.util.Set.of("ai-chat") : names;
  }

  private static void refreshHealth(AdminServer admin) {
    try {
      admin.health().refresh();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Alert delivery (when {@code alerts:} configures it), incident escalation and the weekly digest
   * (when {@code digest:} configures it), each on its own thread.
   */
  private static void startSafeguarding(SafeguardingSettings settings, Store store, PolicyHolder holder,
      PrometheusMeterRegistry registry, Clock clock, String adminUrl, java.nio.file.Path accessLogDir,
      java.nio.file.Path nodeLogs, List<AutoCloseable> started) {
    DeliveryConfig delivery = settings.delivery();
    ZoneId zone = holder.current().timezone();
    if (delivery == null) {
      log.info("alerts are kept in the outbox and the admin API only: no 'alerts:' delivery is configured"
          + " (add alerts.smtp / alerts.webhooks and alerts.routes to send them)");
    } else {
      delivery = delivery.withZone(zone).withAdminUrl(URI.create(adminUrl));
      started.add(DeliveryWorker.start(store, delivery, registry, clock));
    }
    started.add(IncidentEscalator.start(store.incidents(), clock, settings.escalateAfter(),
        IncidentEscalator.DEFAULT_PERIOD));
    SafeguardingSettings.Digest digest = settings.digest();
    if (digest != null) {
      SmtpSettings smtp = delivery.smtp();
      EmailSender mail = EmailSender.create(smtp, clock);
      started.add(DigestRunner.start(new WeeklyDigest(store.incidents(),
          () -> org.schoolgate.reports.logdb.LogDatabase.dirs(accessLogDir, nodeLogs),
          nodeLogs == null ? accessLogDir.toString() : accessLogDir + " and " + nodeLogs, URI.create(adminUrl),
          () -> aiCategories(holder)),
          new DigestSchedule(digest.day(), digest.time(), zone, clock), clock, message -> {
            try {
              mail.send(digest.to(), message.subject(), message.body(),
                  EmailSender.messageId("digest:" + message.subject(), smtp));
            } catch (EmailException e) {
              throw new IllegalStateException("the weekly digest could not be sent: " + e.getMessage(), e);
            }
          }, Duration.ofMinutes(1)));
    }
  }

  /**
   * Starts the filtering DNS resolver when {@code dns-filter:} (or the embedded default) asks for
   * it; its queries go into the proxy's access log and so to the alert engine. Returns why it is
   * not running, or null when it is. A resolver that is not required (the embedded default's) and
   * cannot start costs a warning, not the start.
   */
  private static String startDnsFilter(DnsFilterSettings settings, PolicyHolder holder, AddressBindings bindings,
      ProxyServer proxy, PrometheusMeterRegistry registry, Clock clock, List<AutoCloseable> started) {
    if (settings == null) {
      return "off (no dns-filter: section)";
    }
    try {
      started.add(DnsFilter.start(settings.config(), holder::current, bindings, proxy.accessLog()::offer, registry,
          clock));
      return null;
    } catch (IllegalStateException e) {
      if (settings.required()) {
        throw e;
      }
      log.warn("the DNS filter is not running: {} (--dns-port N chooses another port)", e.getMessage());
      return "off: " + e.getMessage();
    }
  }

  private static void closeAll(List<AutoCloseable> started, Exception failure) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception suppressed) {
        failure.addSuppressed(suppressed);
      }
    }
  }

  private static void countReloads(PolicyHolder holder, PrometheusMeterRegistry registry) {
    Counter reloaded = Counter.builder("schoolgate.policy.reloads").tag("result", "reloaded")
        .description("Policy reload attempts by result").register(registry);
    Counter rejected = Counter.builder("schoolgate.policy.reloads").tag("result", "rejected")
        .description("Policy reload attempts by result").register(registry);
    holder.onReload(r -> (r instanceof ReloadResult.Reloaded ? reloaded : rejected).increment());
  }

  RuntimeConfig config() {
    return config;
  }

  PolicyHolder policy() {
    return holder;
  }

  ProxyServer proxy() {
    return proxy;
  }

  AdminServer admin() {
    return admin;
  }

  Store store() {
    return store;
  }

  /** Who is at which address (logon sessions, RADIUS); the proxy's identification reads it. */
  BindingTable bindings() {
    return bindings;
  }

  /** The RADIUS accounting listener, or null when {@code radius:} is not configured. */
  AccountingServer radius() {
    for (AutoCloseable c : started) {
      if (c instanceof AccountingServer server) {
        return server;
      }
    }
    return null;
  }

  /** The filtering DNS resolver, or null when it is not running (see {@link #dnsFilterOff()}). */
  DnsFilter dnsFilter() {
    for (AutoCloseable c : started) {
      if (c instanceof DnsFilter dns) {
        return dns;
      }
    }
    return null;
  }

  /** Why the filtering DNS resolver is not running, or null when it is. */
  String dnsFilterOff() {
    return dnsFilterOff;
  }

  /** The weekly digest's runner, or null when {@code digest:} is not configured. */
  DigestRunner digest() {
    for (AutoCloseable c : started) {
      if (c instanceof DigestRunner runner) {
        return runner;
      }
    }
    return null;
  }

  /** The first-run token when the database had no account at start, else null. */
  String setupToken() {
    return setupToken;
  }

  /**
   * Stops the proxy (closing its connections and flushing the access log), the alert engine
   * (raising what is queued), the interception CA's threads, the alert engine, delivery,
   * escalation and digest threads, the admin API, then the database: the reverse of start.
   */
  @Override
  public void close() {
    RuntimeException failure = new IllegalStateException("Schoolgate did not stop cleanly");
    closeAll(started, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }
}
