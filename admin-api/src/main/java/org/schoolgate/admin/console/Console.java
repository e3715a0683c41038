package org.schoolgate.admin.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRouting;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.schoolgate.admin.console.accounts.AccountPages;
import org.schoolgate.admin.console.home.HomePage;
import org.schoolgate.admin.console.reports.DryRunPages;
import org.schoolgate.admin.console.reports.ReportPages;
import org.schoolgate.admin.console.reports.TimelinePage;
import org.schoolgate.admin.console.safeguarding.SafeguardingPages;
import org.schoolgate.admin.console.signin.SignInPages;
import org.schoolgate.admin.console.system.HealthPage;
import org.schoolgate.admin.console.system.HealthSampler;
import org.schoolgate.admin.console.system.ListsPage;
import org.schoolgate.admin.console.system.MatrixEditPages;
import org.schoolgate.admin.console.system.MatrixPage;
import org.schoolgate.admin.console.system.SchoolListPages;
import org.schoolgate.admin.console.unblock.ApprovalPages;
import org.schoolgate.admin.console.unblock.RequestPages;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.admin.signin.PasswordSignIn;
import org.schoolgate.admin.signin.SignInThrottle;
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
 * The console: builds every page's handler and mounts them with {@link ConsoleGuard} on the admin
 * server's router. A refusal from the workflow or the store (four eyes, a closed incident, bad
 * input) becomes, for a page, the error page with its status, and for a form post, the message on
 * the page the form was on (post, redirect, get), so nothing is lost and nothing is JSON.
 */
public final class Console implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Console.class);

  private final View view;
  private final ConsoleGuard guard;
  private final Map<ConsoleRoute, Handler> handlers;
  private final HealthSampler health;

  private Console(View view, ConsoleGuard guard, Map<ConsoleRoute, Handler> handlers, HealthSampler health) {
    this.view = view;
    this.guard = guard;
    this.handlers = handlers;
    this.health = health;
  }

  /** Everything a console page may read or change. */
  public record Services(Store store, PolicyHolder holder, UnblockWorkflow unblocks, SecondFactor secondFactor,
      PasswordSignIn passwords, SignInThrottle throttle, AdminMetrics metrics, MeterRegistry registry, ObjectMapper mapper, Clock clock,
      Optional<Reports> reports, org.schoolgate.admin.console.device.DeviceSignIn deviceSignIn,
      Optional<org.schoolgate.admin.oidc.OidcProvider> oidc, org.schoolgate.admin.policyedit.SchoolLists schoolLists,
      org.schoolgate.admin.policyedit.MatrixEdits matrixEdits, org.schoolgate.admin.me.MyAccount me) {}

  public static Console create(Services s) {
    Assets assets = Assets.load();
    View view = new View(assets);
    ConsoleGuard guard = new ConsoleGuard(s.store().sessions(), view, s.metrics());
    HealthSampler health = HealthSampler.start(s.registry(), s.clock());

    SignInPages signIn = new SignInPages(view, s.store(), s.passwords(), s.secondFactor(), s.throttle(), s.metrics(),
        s.clock(), s.oidc().isPresent());
    HomePage home = new HomePage(view, s);
    RequestPages requests = new RequestPages(view, s);
    ApprovalPages approvals = new ApprovalPages(view, s);
    SafeguardingPages safeguarding = new SafeguardingPages(view, s);
    MatrixPage matrix = new MatrixPage(view, s.holder(), s.matrixEdits());
    MatrixEditPages matrixEdit = new MatrixEditPages(view, s.holder(), s.matrixEdits(), s.reports());
    ListsPage lists = new ListsPage(view, s.holder());
    SchoolListPages schoolLists = new SchoolListPages(view, s.schoolLists());
    org.schoolgate.admin.console.device.DeviceSignInPages device =
        new org.schoolgate.admin.console.device.DeviceSignInPages(view, s.deviceSignIn(), s.holder(),
            s.oidc().isPresent());
    Handler oidcStart = ctx -> view.error(ctx, HttpStatus.NOT_FOUND, "Page not found", "Signing in with a school"
        + " account (OpenID Connect) is not set up on this Schoolgate (the runtime configuration has no oidc: section).");
    Handler oidcCallback = oidcStart;
    if (s.oidc().isPresent()) {
      org.schoolgate.admin.oidc.OidcProvider provider = s.oidc().get();
      org.schoolgate.admin.console.oidc.OidcPages oidc = new org.schoolgate.admin.console.oidc.OidcPages(view,
          provider, new org.schoolgate.admin.oidc.OidcFlows(s.clock()), s.deviceSignIn(), device,
          org.schoolgate.admin.console.oidc.OidcPages.consoleSignIn(view, signIn, s.store(), provider.settings(),
              s.metrics()), s.metrics());
      oidcStart = oidc::start;
      oidcCallback = oidc::callback;
    }
    HealthPage healthPage = new HealthPage(view, health, s.store(), () -> s.holder().current().timezone());
    AccountPages accounts = new AccountPages(view, s);
    ReportPages reportPages = new ReportPages(view, s.reports());
    TimelinePage timeline = new TimelinePage(view, s.reports());
    DryRunPages dryRuns = new DryRunPages(view, s.reports(), s.holder());

    Map<ConsoleRoute, Handler> h = new EnumMap<>(ConsoleRoute.class);
    h.put(ConsoleRoute.ASSET, assets::serve);
    h.put(ConsoleRoute.SIGN_IN, signIn::form);
    h.put(ConsoleRoute.SIGN_IN_SUBMIT, signIn::submit);
    h.put(ConsoleRoute.SIGN_IN_CODE, signIn::codeForm);
    h.put(ConsoleRoute.SIGN_IN_CODE_SUBMIT, signIn::codeSubmit);
    h.put(ConsoleRoute.ENROL, signIn::enrolForm);
    h.put(ConsoleRoute.ENROL_SUBMIT, signIn::enrolSubmit);
    h.put(ConsoleRoute.SIGN_OUT, signIn::signOut);
    h.put(ConsoleRoute.DEVICE_SIGN_IN, device::form);
    h.put(ConsoleRoute.DEVICE_SIGN_IN_SUBMIT, device::submit);
    h.put(ConsoleRoute.OIDC_START, oidcStart);
    h.put(ConsoleRoute.OIDC_CALLBACK, oidcCallback);
    h.put(ConsoleRoute.HOME, home::show);
    org.schoolgate.admin.console.me.MyAccountPages mine = new org.schoolgate.admin.console.me.MyAccountPages(view, s);
    h.put(ConsoleRoute.MY_ACCOUNT, mine::show);
    h.put(ConsoleRoute.MY_PASSWORD, mine::password);
    h.put(ConsoleRoute.MY_SECOND_FACTOR, mine::secondFactorForm);
    h.put(ConsoleRoute.MY_SECOND_FACTOR_SUBMIT, mine::secondFactor);
    h.put(ConsoleRoute.MY_RECOVERY_CODES, mine::recoveryCodes);
    h.put(ConsoleRoute.REQUEST_NEW, requests::form);
    h.put(ConsoleRoute.REQUEST_CREATE, requests::create);
    h.put(ConsoleRoute.MY_REQUESTS, requests::mine);
    h.put(ConsoleRoute.REQUEST_CANCEL, requests::cancel);
    h.put(ConsoleRoute.WHY_BLOCKED, requests::whyBlocked);
    h.put(ConsoleRoute.APPROVALS, approvals::inbox);
    h.put(ConsoleRoute.APPROVE, approvals::approve);
    h.put(ConsoleRoute.DENY, approvals::deny);
    h.put(ConsoleRoute.IN_FORCE, approvals::inForce);
    h.put(ConsoleRoute.REVOKE, approvals::revoke);
    h.put(ConsoleRoute.ALERTS, safeguarding::alerts);
    h.put(ConsoleRoute.ALERT_ACKNOWLEDGE, safeguarding::acknowledgeAlert);
    h.put(ConsoleRoute.INCIDENTS, safeguarding::incidents);
    h.put(ConsoleRoute.INCIDENT, safeguarding::incident);
    h.put(ConsoleRoute.INCIDENT_CHANGE, safeguarding::change);
    h.put(ConsoleRoute.MATRIX, matrix::show);
    h.put(ConsoleRoute.MATRIX_EDIT, matrixEdit::form);
    h.put(ConsoleRoute.MATRIX_SAVE, matrixEdit::save);
    h.put(ConsoleRoute.MATRIX_DRY_RUN, matrixEdit::dryRun);
    h.put(ConsoleRoute.LISTS, lists::show);
    h.put(ConsoleRoute.SCHOOL_LISTS, schoolLists::show);
    h.put(ConsoleRoute.SCHOOL_LIST_CHANGE, schoolLists::change);
    h.put(ConsoleRoute.HEALTH, healthPage::show);
    h.put(ConsoleRoute.ACCOUNTS, accounts::list);
    h.put(ConsoleRoute.ACCOUNT_CREATE, accounts::create);
    h.put(ConsoleRoute.ACCOUNT, accounts::show);
    h.put(ConsoleRoute.ACCOUNT_CHANGE, accounts::change);
    h.put(ConsoleRoute.REPORTS, reportPages::reports);
    h.put(ConsoleRoute.EVIDENCE_PACK, reportPages::evidence);
    h.put(ConsoleRoute.DIGEST, reportPages::digest);
    h.put(ConsoleRoute.TIMELINE, timeline::show);
    h.put(ConsoleRoute.DRY_RUN, dryRuns::form);
    h.put(ConsoleRoute.DRY_RUN_START, dryRuns::start);
    h.put(ConsoleRoute.DRY_RUN_SHOW, dryRuns::show);
    h.put(ConsoleRoute.DRY_RUN_CANCEL, dryRuns::cancel);
    for (ConsoleRoute route : ConsoleRoute.values()) {
      if (!h.containsKey(route)) {
        throw new IllegalStateException("console route " + route.text() + " has no handler");
      }
    }
    return new Console(view, guard, h, health);
  }

  /** Mounts the guard and every console route on the admin server's router. */
  public void mount(JavalinDefaultRouting r) {
    r.beforeMatched(guard::check);
    for (ConsoleRoute route : ConsoleRoute.values()) {
      r.addHttpHandler(route.method(), route.path(), guarded(route, handlers.get(route)), route);
    }
  }

  private Handler guarded(ConsoleRoute route, Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (ApiException e) {
        refused(ctx, route, e.status(), e.getMessage());
      } catch (InputException e) {
        refused(ctx, route, HttpStatus.BAD_REQUEST, e.getMessage());
      } catch (ReportException e) {
        refused(ctx, route, reportStatus(e.code()), e.getMessage());
      } catch (StoreException e) {
        refused(ctx, route, storeStatus(e.code()), e.getMessage());
      } catch (StoreUnavailableException e) {
        log.warn("console {} {}: the database is unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
        refused(ctx, route, HttpStatus.SERVICE_UNAVAILABLE,
            "The database is unavailable, so nothing was changed. Try again in a minute.");
      }
    };
  }

  private void refused(Context ctx, ConsoleRoute route, HttpStatus status, String message) {
    if (route.method() == HandlerType.POST) {
      Flash.error(ctx, message);
      ctx.redirect(back(ctx), HttpStatus.SEE_OTHER);
      return;
    }
    String heading = switch (status) {
      case FORBIDDEN -> "You cannot open this page";
      case NOT_FOUND -> "Page not found";
      case SERVICE_UNAVAILABLE -> "Try again shortly";
      default -> "That did not work";
    };
    view.error(ctx, status, heading, message);
  }

  /** The page a form was posted from (the same-origin Referer's path), else home. */
  static String back(Context ctx) {
    String referer = ctx.header("Referer");
    if (referer == null) {
      return "/";
    }
    try {
      URI uri = URI.create(referer);
      String host = ctx.header("Host");
      if (host == null || uri.getRawAuthority() == null || !uri.getRawAuthority().equalsIgnoreCase(host)) {
        return "/";
      }
      String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      return ConsoleGuard.safeNext(path);
    } catch (IllegalArgumentException e) {
      return "/";
    }
  }

  /** The status of a report's refusal, as the API gives it. */
  public static HttpStatus reportStatus(String code) {
    return switch (code) {
      case "forbidden" -> HttpStatus.FORBIDDEN;
      case "not_found" -> HttpStatus.NOT_FOUND;
      case "conflict" -> HttpStatus.CONFLICT;
      case "unavailable" -> HttpStatus.SERVICE_UNAVAILABLE;
      default -> HttpStatus.BAD_REQUEST;
    };
  }

  private static HttpStatus storeStatus(String code) {
    return switch (code) {
      case "not_found" -> HttpStatus.NOT_FOUND;
      case "conflict", "username_taken" -> HttpStatus.CONFLICT;
      default -> HttpStatus.BAD_REQUEST;
    };
  }

  /** The health sampler (tests sample by hand). */
  public HealthSampler health() {
    return health;
  }

  @Override
  public void close() {
    health.close();
  }
}
