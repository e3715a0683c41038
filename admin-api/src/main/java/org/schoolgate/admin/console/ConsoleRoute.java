package org.schoolgate.admin.console;

import static org.schoolgate.store.Role.ADMIN;
import static org.schoolgate.store.Role.DSL;
import static org.schoolgate.store.Role.GOVERNOR;
import static org.schoolgate.store.Role.SENIOR_LEADER;
import static org.schoolgate.store.Role.TEACHER;
import static org.schoolgate.store.Role.TECHNICIAN;

import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import org.schoolgate.admin.auth.Access;

/**
 * Every console page and form post, who may open it, and its navigation label (null: not in the
 * navigation). The navigation lists the labelled routes a signed-in account may open, in this
 * order. {@link ConsoleGuard} checks the access before the handler runs; a handler only adds rules
 * that depend on the data (four eyes, assignment). To add a page: a constant here, its handler in
 * {@link Console}, its template in {@code src/main/jte} (docs/console.md).
 */
public enum ConsoleRoute implements RouteRole {
  ASSET(HandlerType.GET, "/assets/{name}", Access.PUBLIC, null),
  SIGN_IN(HandlerType.GET, "/sign-in", Access.PUBLIC, null),
  SIGN_IN_SUBMIT(HandlerType.POST, "/sign-in", Access.PUBLIC, null),
  SIGN_IN_CODE(HandlerType.GET, "/sign-in/code", Access.PUBLIC, null),
  SIGN_IN_CODE_SUBMIT(HandlerType.POST, "/sign-in/code", Access.PUBLIC, null),
  ENROL(HandlerType.GET, "/sign-in/enrol", Access.PUBLIC, null),
  ENROL_SUBMIT(HandlerType.POST, "/sign-in/enrol", Access.PUBLIC, null),
  SIGN_OUT(HandlerType.POST, "/sign-out", Access.SIGNED_IN, null),
  DEVICE_SIGN_IN(HandlerType.GET, "/device-sign-in", Access.PUBLIC, null),
  DEVICE_SIGN_IN_SUBMIT(HandlerType.POST, "/device-sign-in", Access.PUBLIC, null),
  OIDC_START(HandlerType.GET, "/oidc/start", Access.PUBLIC, null),
  OIDC_CALLBACK(HandlerType.GET, "/oidc/callback", Access.PUBLIC, null),

  HOME(HandlerType.GET, "/", Access.SIGNED_IN, "Home"),
  MY_ACCOUNT(HandlerType.GET, "/account", Access.SIGNED_IN, null),
  MY_PASSWORD(HandlerType.POST, "/account/password", Access.SIGNED_IN, null),
  MY_SECOND_FACTOR(HandlerType.GET, "/account/second-factor", Access.SIGNED_IN, null),
  MY_SECOND_FACTOR_SUBMIT(HandlerType.POST, "/account/second-factor", Access.SIGNED_IN, null),
  MY_RECOVERY_CODES(HandlerType.POST, "/account/recovery-codes", Access.SIGNED_IN, null),
  REQUEST_NEW(HandlerType.GET, "/requests/new", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER),
      "Request an unblock"),
  REQUEST_CREATE(HandlerType.POST, "/requests", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER), null),
  MY_REQUESTS(HandlerType.GET, "/requests", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER), "My requests"),
  REQUEST_CANCEL(HandlerType.POST, "/requests/{id}/cancel", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER),
      null),
  WHY_BLOCKED(HandlerType.GET, "/why-blocked", Access.anyOf(TEACHER, TECHNICIAN, DSL, SENIOR_LEADER),
      "Why is this blocked?"),
  APPROVALS(HandlerType.GET, "/approvals", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), "Approvals"),
  APPROVE(HandlerType.POST, "/approvals/{id}/approve", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), null),
  DENY(HandlerType.POST, "/approvals/{id}/deny", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), null),
  IN_FORCE(HandlerType.GET, "/unblocks", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), "Unblocks in force"),
  REVOKE(HandlerType.POST, "/unblocks/{id}/revoke", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), null),
  ALERTS(HandlerType.GET, "/alerts", Access.anyOf(DSL, SENIOR_LEADER), "Alerts"),
  ALERT_ACKNOWLEDGE(HandlerType.POST, "/alerts/{id}/acknowledge", Access.anyOf(DSL, SENIOR_LEADER), null),
  INCIDENTS(HandlerType.GET, "/incidents", Access.anyOfOrAssignee(DSL, SENIOR_LEADER), "Incidents"),
  INCIDENT(HandlerType.GET, "/incidents/{id}", Access.anyOfOrAssignee(DSL, SENIOR_LEADER), null),
  INCIDENT_CHANGE(HandlerType.POST, "/incidents/{id}/{change}", Access.anyOfOrAssignee(DSL, SENIOR_LEADER), null),
  MATRIX(HandlerType.GET, "/policy/matrix", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER, GOVERNOR), "Policy matrix"),
  MATRIX_EDIT(HandlerType.GET, "/policy/matrix/edit", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), null),
  MATRIX_SAVE(HandlerType.POST, "/policy/matrix/edit", Access.anyOf(TECHNICIAN, DSL, SENIOR_LEADER), null),
  MATRIX_DRY_RUN(HandlerType.POST, "/policy/matrix/dry-run", Access.anyOf(TECHNICIAN, SENIOR_LEADER), null),
  LISTS(HandlerType.GET, "/lists", Access.anyOf(TECHNICIAN, ADMIN), "Lists"),
  SCHOOL_LISTS(HandlerType.GET, "/lists/school", Access.anyOf(TECHNICIAN, ADMIN), "School lists"),
  SCHOOL_LIST_CHANGE(HandlerType.POST, "/lists/school/{list}/{change}", Access.anyOf(TECHNICIAN), null),
  HEALTH(HandlerType.GET, "/health", Access.anyOf(TECHNICIAN, ADMIN), "System health"),
  ACCOUNTS(HandlerType.GET, "/accounts", Access.anyOf(ADMIN), "Accounts"),
  ACCOUNT_CREATE(HandlerType.POST, "/accounts", Access.anyOf(ADMIN), null),
  ACCOUNT(HandlerType.GET, "/accounts/{id}", Access.anyOf(ADMIN), null),
  ACCOUNT_CHANGE(HandlerType.POST, "/accounts/{id}/{change}", Access.anyOf(ADMIN), null),
  REPORTS(HandlerType.GET, "/reports", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL, TECHNICIAN), "Reports"),
  EVIDENCE_PACK(HandlerType.GET, "/evidence-pack", Access.anyOf(GOVERNOR, SENIOR_LEADER, DSL), "Evidence pack"),
  TIMELINE(HandlerType.GET, "/people/timeline", Access.anyOf(DSL, SENIOR_LEADER), "Activity timeline"),
  DIGEST(HandlerType.GET, "/digest", Access.anyOf(DSL, SENIOR_LEADER), "Weekly digest"),
  DRY_RUN(HandlerType.GET, "/policy/dry-run", Access.anyOf(TECHNICIAN, SENIOR_LEADER), "Policy dry-run"),
  DRY_RUN_START(HandlerType.POST, "/policy/dry-run", Access.anyOf(TECHNICIAN, SENIOR_LEADER), null),
  DRY_RUN_SHOW(HandlerType.GET, "/policy/dry-run/{id}", Access.anyOf(TECHNICIAN, SENIOR_LEADER), null),
  DRY_RUN_CANCEL(HandlerType.POST, "/policy/dry-run/{id}/cancel", Access.anyOf(TECHNICIAN, SENIOR_LEADER), null);

  private final HandlerType method;
  private final String path;
  private final Access access;
  private final String navLabel;

  ConsoleRoute(HandlerType method, String path, Access access, String navLabel) {
    this.method = method;
    this.path = path;
    this.access = access;
    this.navLabel = navLabel;
  }

  public HandlerType method() {
    return method;
  }

  public String path() {
    return path;
  }

  public Access access() {
    return access;
  }

  /** The navigation label, or null for routes outside the navigation. */
  public String navLabel() {
    return navLabel;
  }

  public String text() {
    return method.name() + " " + path;
  }
}
