package org.schoolgate.admin.auth;

import static org.schoolgate.store.Role.ADMIN;
import static org.schoolgate.store.Role.DSL;
import static org.schoolgate.store.Role.GOVERNOR;
import static org.schoolgate.store.Role.IDENTITY_SOURCE;
import static org.schoolgate.store.Role.SENIOR_LEADER;
import static org.schoolgate.store.Role.TEACHER;
import static org.schoolgate.store.Role.TECHNICIAN;

import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;

/**
 * Every route the admin server mounts, with who may call it: the one place access is declared.
 * {@link AdminGuard} reads the route's constant (attached as its Javalin {@link RouteRole}) before
 * the handler runs and answers 401 or 403; handlers only add finer rules that depend on the data
 * (four eyes, sensitive approvers). The OpenAPI document lists exactly these routes (a test
 * checks both ways).
 */
public enum ApiRoute implements RouteRole {
  HEALTHZ(HandlerType.GET, "/healthz", Access.PUBLIC),
  HEALTHZ_LIVE(HandlerType.GET, "/healthz/live", Access.PUBLIC),
  HEALTHZ_READY(HandlerType.GET, "/healthz/ready", Access.PUBLIC),
  METRICS(HandlerType.GET, "/metrics", Access.PUBLIC),
  REQUEST_ACCESS_PAGE(HandlerType.GET, "/request-access", Access.PUBLIC),
  REPORT_SITE_PAGE(HandlerType.GET, "/report-site", Access.PUBLIC),
  REPORT_SITE_OUTCOME_PAGE(HandlerType.GET, "/report-site/outcome", Access.PUBLIC),
  OPENAPI(HandlerType.GET, "/api/v1/openapi.json", Access.PUBLIC),
  SETUP(HandlerType.POST, "/api/v1/setup", Access.PUBLIC),
  LOGIN(HandlerType.POST, "/api/v1/login", Access.PUBLIC),
  LOGOUT(HandlerType.POST, "/api/v1/logout", Access.SIGNED_IN),
  ME(HandlerType.GET, "/api/v1/me", Access.SIGNED_IN),
  TOKENS_LIST(HandlerType.GET, "/api/v1/tokens", Access.SIGNED_IN),
  TOKENS_CREATE(HandlerType.POST, "/api/v1/tokens", Access.SIGNED_IN),
  TOKEN_DELETE(HandlerType.DELETE, "/api/v1/tokens/{id}", Access.SIGNED_IN),
  ME_EMAIL(HandlerType.PUT, "/api/v1/me/email", Access.SIGNED_IN),
  ME_ACCOUNT(HandlerType.GET, "/api/v1/me/account", Access.SIGNED_IN),
  ME_PASSWORD(HandlerType.POST, "/api/v1/me/password", Access.SIGNED_IN),
  ME_SECOND_FACTOR_OFFER(HandlerType.POST, "/api/v1/me/second-factor/offer", Access.SIGNED_IN),
  ME_SECOND_FACTOR(HandlerType.POST, "/api/v1/me/second-factor", Access.SIGNED_IN),
  ME_RECOVERY_CODES(HandlerType.POST, "/api/v1/me/recovery-codes", Access.SIGNED_IN),
  ME_SIGN_INS(HandlerType.GET, "/api/v1/me/sign-ins", Access.SIGNED_IN),
  NOTIFICATIONS_LIST(HandlerType.GET, "/api/v1/notifications", Access.SIGNED_IN),
  NOTIFICATION_READ(HandlerType.POST, "/api/v1/notifications/{id}/read", Access.SIGNED_IN),
  NOTIFICATIONS_READ_ALL(HandlerType.POST, "/api/v1/notifications/read-all", Access.SIGNED_IN),
  REPORT_SITE(HandlerType.POST, "/api/v1/report-site", Access.PUBLIC),
  REPORT_SITE_OUTCOME(HandlerType.GET, "/api/v1/report-site/outcome", Access.PUBLIC),
  SITE_REPORTS_CREATE(HandlerType.POST, "/api/v1/site-reports", Access.SIGNED_IN),
  SITE_REPORTS_LIST(HandlerType.GET, "/api/v1/site-reports", Access.SIGNED_IN),
  SITE_REPORT_ANSWER(HandlerType.POST, "/api/v1/site-reports/{id}/answer", Access.anyOf(TECHNICIAN)),
  DECIDE(HandlerType.GET, "/api/v1/decide", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER)),
  POLICY_RELOAD(HandlerType.POST, "/api/v1/policy/reload", Access.anyOf(TECHNICIAN)),
  POLICY_MATRIX(HandlerType.GET, "/api/v1/policy/matrix", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER, GOVERNOR)),
  POLICY_MATRIX_CELL(HandlerType.PUT, "/api/v1/policy/matrix/{category}/{group}",
      Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER)),
  LISTS(HandlerType.GET, "/api/v1/lists", Access.anyOf(TECHNICIAN, ADMIN)),
  SCHOOL_LISTS(HandlerType.GET, "/api/v1/lists/school", Access.anyOf(TECHNICIAN, ADMIN)),
  SCHOOL_LIST_ADD(HandlerType.POST, "/api/v1/lists/school/{list}/entries", Access.anyOf(TECHNICIAN)),
  SCHOOL_LIST_REMOVE(HandlerType.POST, "/api/v1/lists/school/{list}/entries/remove", Access.anyOf(TECHNICIAN)),
  HEALTH(HandlerType.GET, "/api/v1/health", Access.anyOf(TECHNICIAN, ADMIN)),
  ACCOUNTS_LIST(HandlerType.GET, "/api/v1/accounts", Access.anyOf(ADMIN)),
  ACCOUNTS_CREATE(HandlerType.POST, "/api/v1/accounts", Access.anyOf(ADMIN)),
  ACCOUNT_GET(HandlerType.GET, "/api/v1/accounts/{id}", Access.anyOf(ADMIN)),
  ACCOUNT_ROLES(HandlerType.PUT, "/api/v1/accounts/{id}/roles", Access.anyOf(ADMIN)),
  ACCOUNT_DISABLE(HandlerType.POST, "/api/v1/accounts/{id}/disable", Access.anyOf(ADMIN)),
  ACCOUNT_ENABLE(HandlerType.POST, "/api/v1/accounts/{id}/enable", Access.anyOf(ADMIN)),
  ACCOUNT_PASSWORD(HandlerType.POST, "/api/v1/accounts/{id}/password", Access.anyOf(ADMIN)),
  ACCOUNT_SECOND_FACTOR_RESET(HandlerType.POST, "/api/v1/accounts/{id}/second-factor/reset", Access.anyOf(ADMIN)),
  ACCOUNT_GROUPS(HandlerType.GET, "/api/v1/accounts/{id}/groups", Access.anyOf(ADMIN)),
  ACCOUNT_GROUPS_SET(HandlerType.PUT, "/api/v1/accounts/{id}/groups", Access.anyOf(ADMIN)),
  UNBLOCKS_LIST(HandlerType.GET, "/api/v1/unblocks", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCKS_CREATE(HandlerType.POST, "/api/v1/unblocks", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCK_GET(HandlerType.GET, "/api/v1/unblocks/{id}", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCK_APPROVE(HandlerType.POST, "/api/v1/unblocks/{id}/approve", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCK_DENY(HandlerType.POST, "/api/v1/unblocks/{id}/deny", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCK_CANCEL(HandlerType.POST, "/api/v1/unblocks/{id}/cancel", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER)),
  UNBLOCK_REVOKE(HandlerType.POST, "/api/v1/unblocks/{id}/revoke", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER)),
  AUDIT(HandlerType.GET, "/api/v1/audit", Access.anyOf(GOVERNOR, ADMIN, TECHNICIAN, DSL, SENIOR_LEADER)),
  AUDIT_CSV(HandlerType.GET, "/api/v1/audit.csv", Access.anyOf(GOVERNOR, ADMIN, TECHNICIAN, DSL, SENIOR_LEADER)),
  AUDIT_VERIFY(HandlerType.GET, "/api/v1/audit/verify", Access.anyOf(GOVERNOR, ADMIN, TECHNICIAN, DSL, SENIOR_LEADER)),
  ALERTS_LIST(HandlerType.GET, "/api/v1/alerts", Access.anyOf(DSL, SENIOR_LEADER)),
  ALERT_ACKNOWLEDGE(HandlerType.POST, "/api/v1/alerts/{id}/acknowledge", Access.anyOf(DSL, SENIOR_LEADER)),
  INCIDENTS_LIST(HandlerType.GET, "/api/v1/incidents", Access.anyOfOrAssignee(DSL, SENIOR_LEADER)),
  INCIDENT_GET(HandlerType.GET, "/api/v1/incidents/{id}", Access.anyOfOrAssignee(DSL, SENIOR_LEADER)),
  INCIDENT_ASSIGN(HandlerType.POST, "/api/v1/incidents/{id}/assign", Access.anyOf(DSL, SENIOR_LEADER)),
  INCIDENT_ACKNOWLEDGE(HandlerType.POST, "/api/v1/incidents/{id}/acknowledge", Access.anyOf(DSL, SENIOR_LEADER)),
  INCIDENT_ESCALATE(HandlerType.POST, "/api/v1/incidents/{id}/escalate", Access.anyOf(DSL, SENIOR_LEADER)),
  INCIDENT_CLOSE(HandlerType.POST, "/api/v1/incidents/{id}/close", Access.anyOf(DSL, SENIOR_LEADER)),
  INCIDENT_NOTE(HandlerType.POST, "/api/v1/incidents/{id}/notes", Access.anyOfOrAssignee(DSL, SENIOR_LEADER)),
  INCIDENT_ACTION(HandlerType.POST, "/api/v1/incidents/{id}/actions", Access.anyOfOrAssignee(DSL, SENIOR_LEADER)),
  IDENTITY_SESSION_START(HandlerType.POST, "/api/v1/identity/sessions", Access.anyOf(IDENTITY_SOURCE)),
  IDENTITY_SESSION_END(HandlerType.DELETE, "/api/v1/identity/sessions", Access.anyOf(IDENTITY_SOURCE)),
  GUEST_VOUCHERS_CREATE(HandlerType.POST, "/api/v1/guest-vouchers",
      Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER, ADMIN)),
  GUEST_VOUCHERS_LIST(HandlerType.GET, "/api/v1/guest-vouchers",
      Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER, ADMIN)),
  /** Teachers and up withdraw their own vouchers; admins anyone's (checked in the handler). */
  GUEST_VOUCHERS_REVOKE(HandlerType.DELETE, "/api/v1/guest-vouchers/{id}",
      Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER, ADMIN)),
  REPORT_BLOCKED(HandlerType.GET, "/api/v1/reports/blocked", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN)),
  REPORT_TOP_BLOCKED(HandlerType.GET, "/api/v1/reports/top-blocked", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN)),
  REPORT_BYPASSES(HandlerType.GET, "/api/v1/reports/bypasses", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN)),
  REPORT_UNBLOCKS(HandlerType.GET, "/api/v1/reports/unblocks", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN)),
  REPORT_ALERTS(HandlerType.GET, "/api/v1/reports/alerts", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN)),
  REPORT_AUDIT(HandlerType.GET, "/api/v1/reports/audit", Access.anyOf(GOVERNOR, ADMIN, TECHNICIAN, DSL, SENIOR_LEADER)),
  REPORT_TIMELINE(HandlerType.GET, "/api/v1/reports/timeline", Access.anyOf(DSL, SENIOR_LEADER, TEACHER)),
  REPORT_TIMELINE_ALERT(HandlerType.GET, "/api/v1/reports/timeline/alerts/{id}", Access.anyOf(DSL, SENIOR_LEADER)),
  REPORT_DIGEST(HandlerType.GET, "/api/v1/reports/digest", Access.anyOf(DSL, SENIOR_LEADER)),
  REPORT_EVIDENCE(HandlerType.GET, "/api/v1/reports/evidence", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL)),
  REPORT_EVIDENCE_HTML(HandlerType.GET, "/api/v1/reports/evidence.html", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL)),
  REPORT_EVIDENCE_CSV(HandlerType.GET, "/api/v1/reports/evidence.csv", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL)),
  DRY_RUNS_LIST(HandlerType.GET, "/api/v1/reports/dry-runs", Access.anyOf(TECHNICIAN, SENIOR_LEADER)),
  DRY_RUN_START(HandlerType.POST, "/api/v1/reports/dry-runs", Access.anyOf(TECHNICIAN, SENIOR_LEADER)),
  DRY_RUN_GET(HandlerType.GET, "/api/v1/reports/dry-runs/{id}", Access.anyOf(TECHNICIAN, SENIOR_LEADER)),
  DRY_RUN_CANCEL(HandlerType.POST, "/api/v1/reports/dry-runs/{id}/cancel", Access.anyOf(TECHNICIAN, SENIOR_LEADER));

  private final HandlerType method;
  private final String path;
  private final Access access;

  ApiRoute(HandlerType method, String path, Access access) {
    this.method = method;
    this.path = path;
    this.access = access;
  }

  public HandlerType method() {
    return method;
  }

  /** The Javalin path, with parameters as {@code {id}} (the same spelling as OpenAPI). */
  public String path() {
    return path;
  }

  public Access access() {
    return access;
  }

  /** {@code GET /api/v1/audit}. */
  public String text() {
    return method.name() + " " + path;
  }
}
