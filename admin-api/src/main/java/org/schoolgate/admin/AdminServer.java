package org.schoolgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.schoolgate.admin.alert.AlertRoutes;
import org.schoolgate.admin.notification.NotificationRoutes;
import org.schoolgate.admin.report.ReportSitePages;
import org.schoolgate.admin.report.SiteReportRoutes;
import org.schoolgate.admin.audit.AuditRoutes;
import org.schoolgate.admin.auth.AccountRoutes;
import org.schoolgate.admin.auth.AdminGuard;
import org.schoolgate.admin.auth.ApiRoute;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.ConsoleGuard;
import org.schoolgate.admin.console.system.HealthView;
import org.schoolgate.admin.console.system.ListStatus;
import org.schoolgate.admin.console.system.MatrixView;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.admin.auth.SignInRoute;
import org.schoolgate.admin.signin.DirectoryRoles;
import org.schoolgate.admin.signin.PasswordSignIn;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.health.HealthChecks;
import org.schoolgate.admin.health.HealthMonitor;
import org.schoolgate.admin.health.HealthRoutes;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.identity.SessionAudit;
import org.schoolgate.admin.identity.SessionRoutes;
import org.schoolgate.admin.console.device.DeviceSignIn;
import org.schoolgate.admin.incident.IncidentRoutes;
import org.schoolgate.admin.tls.TlsConnectors;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.policyedit.MatrixEdits;
import org.schoolgate.admin.policyedit.MatrixRoutes;
import org.schoolgate.admin.policyedit.SchoolListRoutes;
import org.schoolgate.admin.policyedit.SchoolLists;
import org.schoolgate.admin.reload.PolicyReloads;
import org.schoolgate.admin.reports.DryRunRoutes;
import org.schoolgate.admin.reports.ReportRoutes;
import org.schoolgate.admin.reports.TimelineRoutes;
import org.schoolgate.admin.signin.SignInThrottle;
import org.schoolgate.admin.unblock.UnblockRoutes;
import org.schoolgate.admin.unblock.UnblockWorkflow;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.reports.ReportException;
import org.schoolgate.reports.Reports;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API on its own port. Handlers run on Jetty's worker threads ("schoolgate-admin-N"),
 * never on a proxy event loop, so a policy reload may read files and the store may block there.
 *
 * <pre>{@code
 * try (Store store = Store.open(DatabaseConfig.sqlite(dataDir), clock);
 *     AdminServer admin = AdminServer.start(AdminConfig.defaults(), holder, store, registry, clock)) {
 *   System.out.println("admin API on port " + admin.port());
 * }
 * }</pre>
 *
 * <p>Every route and who may call it is declared in {@link ApiRoute}; {@link AdminGuard} checks
 * it before the handler runs. {@code GET /api/v1/openapi.json} describes them all. Errors are
 * JSON {@code {code, message, field}}: 400 bad input, 401 not signed in, 403 not allowed, 404
 * unknown, 409 conflict, 422 refused (illegal target, broken policy), 429 locked out, 503 the
 * database is unavailable, 500 bugs.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;
  private final InetSocketAddress address;
  private final UnblockWorkflow unblocks;
  private final SignInRoute signIn;
  private final PolicyReloads reloads;
  private final SessionAudit sessionAudit;
  private final TlsConnectors tls;
  private final HealthMonitor health;
  private final Console console;

  private AdminServer(Javalin app, InetSocketAddress address, UnblockWorkflow unblocks, SignInRoute signIn,
      PolicyReloads reloads, SessionAudit sessionAudit, TlsConnectors tls, HealthMonitor health, Console console) {
    this.app = app;
    this.console = console;
    this.address = address;
    this.unblocks = unblocks;
    this.signIn = signIn;
    this.reloads = reloads;
    this.sessionAudit = sessionAudit;
    this.tls = tls;
    this.health = health;
  }

  /**
   * Starts the server with an address-binding table of its own, in memory only (tools and tests
   * that do not run the proxy); {@code /healthz} has no checks: it says ok while the server answers.
   */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock) {
    return start(config, holder, store, registry, clock, BindingTable.inMemory(clock, IdentityMetrics.unregistered()));
  }

  /** Like {@link #start(AdminConfig, PolicyHolder, Store, PrometheusMeterRegistry, Clock, BindingTable, HealthChecks)} without health checks. */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, BindingTable bindings) {
    return start(config, holder, store, registry, clock, bindings, HealthChecks.NONE);
  }

  /**
   * Starts the server and the unblock ticker; returns once it is listening. Logon sessions go
   * into {@code bindings} (the table the proxy reads). The caller owns {@code store} and {@code
   * bindings} and closes them after this server. {@code /healthz}, {@code /healthz/ready} and the
   * {@code schoolgate.health} gauges report {@code checks} (run by a {@link HealthMonitor} from now
   * until {@link #close()}).
   */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, BindingTable bindings, HealthChecks checks) {
    return start(config, holder, store, registry, clock, bindings, checks, DirectoryRoles.NONE, Optional.empty());
  }

  /** {@link #start} with admin sign-in by directory credentials ({@code directory}: groups → roles). */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, BindingTable bindings, HealthChecks checks,
      DirectoryRoles directory) {
    return start(config, holder, store, registry, clock, bindings, checks, directory, Optional.empty());
  }

  /** {@link #start} with the reports and without directory sign-in. */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, BindingTable bindings, HealthChecks checks,
      Optional<Reports> reports) {
    return start(config, holder, store, registry, clock, bindings, checks, DirectoryRoles.NONE, reports);
  }

  /**
   * Starts the server as above, with admin sign-in by directory credentials ({@code directory}:
   * groups → roles) and the reports ({@code /api/v1/reports/...}) over {@code reports}; without
   * them those routes answer 503. The caller owns {@code reports} and closes it after this server.
   */
  public static AdminServer start(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, BindingTable bindings, HealthChecks checks,
      DirectoryRoles directory, Optional<Reports> reports) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(bindings, "bindings");
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    AdminMetrics metrics = new AdminMetrics(registry, holder);
    UnblockWorkflow workflow = new UnblockWorkflow(store, holder, clock, config.maxUnblock(), config.unblockTick(),
        metrics);
    AuthRoutes auth = new AuthRoutes(store, mapper, clock, config.setupToken());
    SecondFactor secondFactor = new SecondFactor(store.secondFactors(), clock, "Schoolgate");
    SignInThrottle throttle = new SignInThrottle(config.signIn(), clock);
    PasswordSignIn passwords = new PasswordSignIn(store, directory);
    SignInRoute signIn = new SignInRoute(store, secondFactor, mapper, clock, metrics, throttle, passwords);
    org.schoolgate.admin.me.MyAccount me = new org.schoolgate.admin.me.MyAccount(store, secondFactor, throttle, clock);
    PolicyReloads reloads = new PolicyReloads(holder, store.audit());
    SchoolLists schoolLists = new SchoolLists(holder, reloads, store.audit(), clock);
    MatrixEdits matrixEdits = new MatrixEdits(holder, reloads, store.audit(), clock);
    SessionAudit sessionAudit = new SessionAudit(store.audit(), clock, config.sessions().auditWindow());
    SessionRoutes sessions = new SessionRoutes(bindings, config.sessions(), sessionAudit, metrics, mapper, clock);
    HealthMonitor health = HealthMonitor.start(checks, clock);
    metrics.health(health);
    Console created = null;
    Map<ApiRoute, Handler> handlers;
    try {
      created = Console.create(new Console.Services(store, holder, workflow, secondFactor, passwords, throttle, metrics,
          registry, mapper, clock, reports, new DeviceSignIn(directory.verifier(), store.guestVouchers(), bindings,
              holder, metrics, clock, config.forwarding().proxyKey(), config.deviceGuesses()),
          // an ID token's times are the provider's wall clock: they are checked against ours, not the injected one
          Optional.ofNullable(config.oidc()).map(o -> new org.schoolgate.admin.oidc.OidcProvider(o, metrics,
              Clock.systemUTC(), com.github.benmanes.caffeine.cache.Ticker.systemTicker())), schoolLists, matrixEdits,
          me));
      handlers = handlers(config, holder, store, registry, clock, mapper, workflow, metrics, sessions, auth, signIn,
          reloads, new HealthRoutes(health, "policy", () -> PolicyRoutes.PolicySummary.of(holder.current())),
          reports, created, schoolLists, matrixEdits, me);
    } catch (RuntimeException e) {
      if (created != null) {
        created.close();
      }
      health.close();
      signIn.close();
      sessionAudit.close();
      throw e;
    }
    Console console = created;
    AdminGuard guard = new AdminGuard(store.sessions());
    ClientAddresses clients = new ClientAddresses(config.forwarding(), metrics);
    TlsConnectors tls = config.tls() == null ? null : new TlsConnectors(config.tls());

    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.jsonMapper(new JavalinJackson(mapper, false));
      QueuedThreadPool pool = new QueuedThreadPool(16, 2);
      pool.setName("schoolgate-admin");
      cfg.jetty.threadPool = pool;
      if (tls != null) {
        tls.install(cfg, config.listen());
      }
      cfg.router.mount(r -> {
        if (tls != null) {
          r.before(tls::redirect);
        }
        r.beforeMatched(clients::attach);
        r.beforeMatched(AdminServer::requireJsonBody);
        r.beforeMatched(guard::check);
        for (ApiRoute route : ApiRoute.values()) {
          r.addHttpHandler(route.method(), route.path(), handlers.get(route), route);
        }
        console.mount(r);
        r.exception(ApiException.class, (e, ctx) -> {
          if (e.status() == HttpStatus.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"schoolgate\"");
          }
          ctx.status(e.status()).json(new ApiError(e.code(), e.getMessage(), e.field()));
        });
        r.exception(InputException.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
            .json(new ApiError(e.code(), e.getMessage(), e.field())));
        r.exception(ReportException.class, (e, ctx) -> ctx.status(reportStatus(e.code()))
            .json(new ReportError(e.code(), e.getMessage(), e.field(), e.details())));
        r.exception(StoreException.class, (e, ctx) -> ctx.status(storeStatus(e.code()))
            .json(new ApiError(e.code(), e.getMessage(), e.field())));
        r.exception(StoreUnavailableException.class, (e, ctx) -> {
          log.warn("admin API {} {}: the database is unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
          ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("store_unavailable",
              "the database is unavailable, nothing was changed; try again shortly", null));
        });
        r.exception(Exception.class, (e, ctx) -> {
          log.error("admin API {} {} failed", ctx.method(), ctx.path(), e);
          ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ApiError("internal_error",
              "the server failed to answer " + ctx.method() + " " + ctx.path() + ": " + e, null));
        });
        r.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
          if (ctx.routeRoles().isEmpty()) {
            ctx.json(new ApiError("not_found", "no route for " + ctx.method() + " " + ctx.path()
                + " (GET /api/v1/openapi.json lists every route)", null));
          }
        });
      });
    });
    String host = config.listen().getAddress().getHostAddress();
    try {
      app.start(host, config.listen().getPort());
    } catch (RuntimeException e) {
      signIn.close();
      health.close();
      sessionAudit.close();
      console.close();
      throw e;
    }
    workflow.start();
    InetSocketAddress bound = new InetSocketAddress(config.listen().getAddress(), app.port());
    if (tls == null) {
      log.info("admin API listening on http://{} (store: {})", hostPort(bound), store.vendor());
    } else {
      log.info("admin API listening on https://{} (plain HTTP there and on {} is redirected; HSTS {}; store: {})",
          hostPort(bound), tls.plainPort() < 0 ? "no other port" : "port " + tls.plainPort(),
          config.tls().hstsMaxAge(), store.vendor());
    }
    if (config.plainBeyondLoopback()) {
      log.warn("the admin API listens on {} over plain HTTP: passwords and session cookies cross the network"
          + " in clear unless a TLS reverse proxy stands in front (admin.allow-plain-http is set); give it"
          + " admin.tls instead", hostPort(bound));
    }
    return new AdminServer(app, bound, workflow, signIn, reloads, sessionAudit, tls, health, console);
  }

  private static Map<ApiRoute, Handler> handlers(AdminConfig config, PolicyHolder holder, Store store,
      PrometheusMeterRegistry registry, Clock clock, ObjectMapper mapper, UnblockWorkflow workflow,
      AdminMetrics metrics, SessionRoutes sessions, AuthRoutes auth, SignInRoute signIn, PolicyReloads reloads,
      HealthRoutes health, Optional<Reports> reports, Console console, SchoolLists schoolLists,
      MatrixEdits matrixEdits, org.schoolgate.admin.me.MyAccount me) {
    PolicyRoutes policy = new PolicyRoutes(holder, reloads);
    DecideRoute decide = new DecideRoute(holder, clock, store.accounts());
    RequestAccessPage requestAccess = new RequestAccessPage();
    OpenApi openApi = OpenApi.load();
    AccountRoutes accounts = new AccountRoutes(store, mapper, holder);
    UnblockRoutes unblocks = new UnblockRoutes(workflow, mapper);
    AuditRoutes audit = new AuditRoutes(store.audit(), holder, clock);
    AlertRoutes alerts = new AlertRoutes(store.alerts());
    IncidentRoutes incidents = new IncidentRoutes(store.incidents(), mapper);
    NotificationRoutes notifications = new NotificationRoutes(store.notifications(), mapper);
    SiteReportRoutes siteReports = new SiteReportRoutes(store.siteReports(), holder, mapper, clock);
    ReportSitePages reportPages = new ReportSitePages(store.siteReports());
    ReportRoutes report = new ReportRoutes(reports);
    TimelineRoutes timelines = new TimelineRoutes(reports);
    DryRunRoutes dryRuns = new DryRunRoutes(reports, mapper);

    Map<ApiRoute, Handler> h = new EnumMap<>(ApiRoute.class);
    h.put(ApiRoute.HEALTHZ, health::full);
    h.put(ApiRoute.HEALTHZ_LIVE, health::live);
    h.put(ApiRoute.HEALTHZ_READY, health::ready);
    h.put(ApiRoute.METRICS, ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
    h.put(ApiRoute.REQUEST_ACCESS_PAGE, requestAccess::handle);
    h.put(ApiRoute.OPENAPI, openApi::handle);
    h.put(ApiRoute.SETUP, auth::setup);
    h.put(ApiRoute.LOGIN, signIn::login);
    h.put(ApiRoute.LOGOUT, auth::logout);
    h.put(ApiRoute.ME, auth::me);
    h.put(ApiRoute.TOKENS_LIST, auth::listTokens);
    h.put(ApiRoute.TOKENS_CREATE, auth::createToken);
    h.put(ApiRoute.TOKEN_DELETE, auth::deleteToken);
    h.put(ApiRoute.ME_EMAIL, notifications::setEmail);
    org.schoolgate.admin.me.MeRoutes mine = new org.schoolgate.admin.me.MeRoutes(me, mapper);
    h.put(ApiRoute.ME_ACCOUNT, mine::account);
    h.put(ApiRoute.ME_PASSWORD, mine::password);
    h.put(ApiRoute.ME_SECOND_FACTOR_OFFER, mine::offer);
    h.put(ApiRoute.ME_SECOND_FACTOR, mine::secondFactor);
    h.put(ApiRoute.ME_RECOVERY_CODES, mine::recoveryCodes);
    h.put(ApiRoute.ME_SIGN_INS, mine::signIns);
    h.put(ApiRoute.NOTIFICATIONS_LIST, notifications::list);
    h.put(ApiRoute.NOTIFICATION_READ, notifications::read);
    h.put(ApiRoute.NOTIFICATIONS_READ_ALL, notifications::readAll);
    h.put(ApiRoute.REPORT_SITE_PAGE, reportPages::form);
    h.put(ApiRoute.REPORT_SITE_OUTCOME_PAGE, reportPages::outcome);
    h.put(ApiRoute.REPORT_SITE, siteReports::reportAnonymously);
    h.put(ApiRoute.REPORT_SITE_OUTCOME, siteReports::outcome);
    h.put(ApiRoute.SITE_REPORTS_CREATE, siteReports::report);
    h.put(ApiRoute.SITE_REPORTS_LIST, siteReports::list);
    h.put(ApiRoute.SITE_REPORT_ANSWER, siteReports::answer);
    h.put(ApiRoute.DECIDE, decide::handle);
    h.put(ApiRoute.POLICY_RELOAD, policy::reload);
    h.put(ApiRoute.POLICY_MATRIX, ctx -> ctx.json(MatrixView.of(holder.current())));
    h.put(ApiRoute.LISTS, ctx -> ctx.json(ListStatus.of(holder.current())));
    SchoolListRoutes school = new SchoolListRoutes(schoolLists, mapper);
    h.put(ApiRoute.SCHOOL_LISTS, school::list);
    h.put(ApiRoute.POLICY_MATRIX_CELL, new MatrixRoutes(matrixEdits, mapper)::change);
    h.put(ApiRoute.SCHOOL_LIST_ADD, school::add);
    h.put(ApiRoute.SCHOOL_LIST_REMOVE, school::remove);
    h.put(ApiRoute.HEALTH, ctx -> ctx.json(HealthView.of(console.health().samples(), holder.current().timezone())));
    h.put(ApiRoute.ACCOUNTS_LIST, accounts::list);
    h.put(ApiRoute.ACCOUNTS_CREATE, accounts::create);
    h.put(ApiRoute.ACCOUNT_GET, accounts::get);
    h.put(ApiRoute.ACCOUNT_ROLES, accounts::setRoles);
    h.put(ApiRoute.ACCOUNT_DISABLE, accounts::disable);
    h.put(ApiRoute.ACCOUNT_ENABLE, accounts::enable);
    h.put(ApiRoute.ACCOUNT_PASSWORD, accounts::resetPassword);
    h.put(ApiRoute.ACCOUNT_SECOND_FACTOR_RESET, accounts::resetSecondFactor);
    h.put(ApiRoute.ACCOUNT_GROUPS, accounts::groups);
    h.put(ApiRoute.ACCOUNT_GROUPS_SET, accounts::setGroups);
    h.put(ApiRoute.UNBLOCKS_LIST, unblocks::list);
    h.put(ApiRoute.UNBLOCKS_CREATE, unblocks::create);
    h.put(ApiRoute.UNBLOCK_GET, unblocks::get);
    h.put(ApiRoute.UNBLOCK_APPROVE, unblocks::approve);
    h.put(ApiRoute.UNBLOCK_DENY, unblocks::deny);
    h.put(ApiRoute.UNBLOCK_CANCEL, unblocks::cancel);
    h.put(ApiRoute.UNBLOCK_REVOKE, unblocks::revoke);
    h.put(ApiRoute.AUDIT, audit::list);
    h.put(ApiRoute.AUDIT_CSV, audit::csv);
    h.put(ApiRoute.AUDIT_VERIFY, audit::verify);
    h.put(ApiRoute.ALERTS_LIST, alerts::list);
    h.put(ApiRoute.ALERT_ACKNOWLEDGE, alerts::acknowledge);
    h.put(ApiRoute.INCIDENTS_LIST, incidents::list);
    h.put(ApiRoute.INCIDENT_GET, incidents::get);
    h.put(ApiRoute.INCIDENT_ASSIGN, incidents::assign);
    h.put(ApiRoute.INCIDENT_ACKNOWLEDGE, incidents::acknowledge);
    h.put(ApiRoute.INCIDENT_ESCALATE, incidents::escalate);
    h.put(ApiRoute.INCIDENT_CLOSE, incidents::close);
    h.put(ApiRoute.INCIDENT_NOTE, incidents::note);
    h.put(ApiRoute.INCIDENT_ACTION, incidents::action);
    h.put(ApiRoute.IDENTITY_SESSION_START, sessions::start);
    h.put(ApiRoute.IDENTITY_SESSION_END, sessions::end);
    org.schoolgate.admin.identity.GuestVoucherRoutes vouchers =
        new org.schoolgate.admin.identity.GuestVoucherRoutes(store.guestVouchers(), holder, mapper, clock,
            sessions.bindings());
    h.put(ApiRoute.GUEST_VOUCHERS_CREATE, vouchers::issue);
    h.put(ApiRoute.GUEST_VOUCHERS_LIST, vouchers::list);
    h.put(ApiRoute.GUEST_VOUCHERS_REVOKE, vouchers::revoke);
    h.put(ApiRoute.REPORT_BLOCKED, report::blocked);
    h.put(ApiRoute.REPORT_TOP_BLOCKED, report::topBlocked);
    h.put(ApiRoute.REPORT_BYPASSES, report::bypasses);
    h.put(ApiRoute.REPORT_UNBLOCKS, report::unblocks);
    h.put(ApiRoute.REPORT_ALERTS, report::alerts);
    h.put(ApiRoute.REPORT_AUDIT, report::audit);
    h.put(ApiRoute.REPORT_TIMELINE, timelines::person);
    h.put(ApiRoute.REPORT_TIMELINE_ALERT, timelines::aroundAlert);
    h.put(ApiRoute.REPORT_DIGEST, report::digest);
    h.put(ApiRoute.REPORT_EVIDENCE, report::evidence);
    h.put(ApiRoute.REPORT_EVIDENCE_HTML, report::evidenceHtml);
    h.put(ApiRoute.REPORT_EVIDENCE_CSV, report::evidenceCsv);
    h.put(ApiRoute.DRY_RUNS_LIST, dryRuns::list);
    h.put(ApiRoute.DRY_RUN_START, dryRuns::start);
    h.put(ApiRoute.DRY_RUN_GET, dryRuns::get);
    h.put(ApiRoute.DRY_RUN_CANCEL, dryRuns::cancel);
    for (ApiRoute route : ApiRoute.values()) {
      if (!h.containsKey(route)) {
        throw new IllegalStateException("route " + route.text() + " has no handler");
      }
    }
    return h;
  }

  /**
   * A request body must be JSON. Browsers cannot send {@code application/json} across sites
   * without a CORS preflight (which this server never grants), so this also keeps forms on other
   * sites from posting here.
   */
  private static void requireJsonBody(Context ctx) {
    if (ConsoleGuard.routeOf(ctx) != null) {
      return; // console forms post application/x-www-form-urlencoded and carry a CSRF token instead
    }
    if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD || ctx.contentLength() <= 0) {
      return;
    }
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "the request body is " + (type == null ? "untyped" : "'" + type + "'")
              + " (expected: Content-Type: application/json)", null);
    }
  }

  /** A report error: {@code details} lists each {@code file:line: field: message} of a candidate policy. */
  record ReportError(String code, String message, String field, java.util.List<String> details) {}

  static HttpStatus reportStatus(String code) {
    switch (code) {
      case "forbidden":
        return HttpStatus.FORBIDDEN;
      case "not_found":
        return HttpStatus.NOT_FOUND;
      case "conflict":
        return HttpStatus.CONFLICT;
      case "unavailable":
        return HttpStatus.SERVICE_UNAVAILABLE;
      default:
        return HttpStatus.BAD_REQUEST;
    }
  }

  static HttpStatus storeStatus(String code) {
    switch (code) {
      case "not_found":
        return HttpStatus.NOT_FOUND;
      case "conflict":
      case "username_taken":
        return HttpStatus.CONFLICT;
      default:
        return HttpStatus.BAD_REQUEST;
    }
  }

  /** The port the server is bound to (useful with port 0). */
  public int port() {
    return address.getPort();
  }

  /** The address the server is bound to. */
  public InetSocketAddress address() {
    return address;
  }

  /** Policy reloads that audit what changed (the SIGHUP handler uses the same, so diffs follow each other). */
  public PolicyReloads policyReloads() {
    return reloads;
  }

  /** The unblock workflow (its {@link UnblockWorkflow#tick()} for tools and tests). */
  public UnblockWorkflow unblocks() {
    return unblocks;
  }

  /** The redirect-only plain listener's port, or -1 when there is none. */
  public int redirectPort() {
    return tls == null ? -1 : tls.plainPort();
  }

  /** True when the admin port serves HTTPS. */
  public boolean secure() {
    return tls != null;
  }

  /** The logon-session audit summaries ({@link SessionAudit#flush()} for tools and tests). */
  public SessionAudit sessionAudit() {
    return sessionAudit;
  }

  /** The health monitor behind {@code /healthz} (its {@link HealthMonitor#refresh()} for tests). */
  public HealthMonitor health() {
    return health;
  }

  /** Stops the ticker, stops accepting requests, writes the last session summaries, stops the server and the health checks. */
  @Override
  public void close() {
    unblocks.close();
    app.stop();
    signIn.close();
    console.close();
    sessionAudit.close();
    health.close();
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
