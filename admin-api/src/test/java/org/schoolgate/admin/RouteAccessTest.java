package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.auth.Access;
import org.schoolgate.admin.auth.ApiRoute;
import org.schoolgate.store.Role;

/**
 * The whole route × caller table: every route the server mounts, called by nobody and by an
 * account holding each single role. Path ids point at nothing (999999) and bodies are empty, so
 * an allowed call ends in 2xx, 400, 404 or 409 — never 401 or 403 — and never "no route".
 */
class RouteAccessTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();

  /** Who may call each route, spelled out independently of {@link ApiRoute}. */
  private static final Set<Role> ALL = Set.of(Role.values());
  private static final Set<Role> REQUESTERS = Set.of(Role.TEACHER, Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);
  private static final Set<Role> APPROVERS = Set.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);
  private static final Set<Role> AUDITORS =
      Set.of(Role.GOVERNOR, Role.ADMIN, Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);
  private static final Set<Role> ADMINS = Set.of(Role.ADMIN);
  private static final Set<Role> SAFEGUARDING = Set.of(Role.DSL, Role.SENIOR_LEADER);

  static Set<Role> expectedRoles(ApiRoute route) {
    switch (route) {
      case HEALTHZ: case HEALTHZ_LIVE: case HEALTHZ_READY: case METRICS: case REQUEST_ACCESS_PAGE: case OPENAPI: case SETUP: case LOGIN:
      case REPORT_SITE_PAGE: case REPORT_SITE_OUTCOME_PAGE: case REPORT_SITE: case REPORT_SITE_OUTCOME:
        return null; // public
      case LOGOUT: case ME: case TOKENS_LIST: case TOKENS_CREATE: case TOKEN_DELETE:
      case ME_EMAIL: case NOTIFICATIONS_LIST: case NOTIFICATION_READ: case NOTIFICATIONS_READ_ALL:
      case SITE_REPORTS_CREATE: case SITE_REPORTS_LIST:
      case ME_ACCOUNT: case ME_PASSWORD: case ME_SECOND_FACTOR_OFFER: case ME_SECOND_FACTOR: case ME_RECOVERY_CODES:
      case ME_SIGN_INS:
        return ALL;
      case SITE_REPORT_ANSWER:
        return Set.of(Role.TECHNICIAN);
      case DECIDE: case UNBLOCKS_LIST: case UNBLOCKS_CREATE: case UNBLOCK_GET: case UNBLOCK_CANCEL:
        return REQUESTERS;
      case POLICY_RELOAD: case SCHOOL_LIST_ADD: case SCHOOL_LIST_REMOVE:
        return Set.of(Role.TECHNICIAN);
      case POLICY_MATRIX_CELL:
        return Set.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);
      case POLICY_MATRIX:
        return Set.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER, Role.GOVERNOR);
      case LISTS: case HEALTH: case SCHOOL_LISTS:
        return Set.of(Role.TECHNICIAN, Role.ADMIN);
      case ACCOUNTS_LIST: case ACCOUNTS_CREATE: case ACCOUNT_GET: case ACCOUNT_ROLES: case ACCOUNT_DISABLE:
      case ACCOUNT_ENABLE: case ACCOUNT_PASSWORD: case ACCOUNT_SECOND_FACTOR_RESET: case ACCOUNT_GROUPS:
      case ACCOUNT_GROUPS_SET:
        return ADMINS;
      case UNBLOCK_APPROVE: case UNBLOCK_DENY: case UNBLOCK_REVOKE:
        return APPROVERS;
      case AUDIT: case AUDIT_CSV: case AUDIT_VERIFY:
        return AUDITORS;
      case ALERTS_LIST: case ALERT_ACKNOWLEDGE:
      case INCIDENTS_LIST: case INCIDENT_GET: case INCIDENT_ASSIGN: case INCIDENT_ACKNOWLEDGE: case INCIDENT_ESCALATE:
      case INCIDENT_CLOSE: case INCIDENT_NOTE: case INCIDENT_ACTION:
        return SAFEGUARDING;
      case IDENTITY_SESSION_START: case IDENTITY_SESSION_END:
        return Set.of(Role.IDENTITY_SOURCE);
      case GUEST_VOUCHERS_CREATE: case GUEST_VOUCHERS_LIST: case GUEST_VOUCHERS_REVOKE:
        return Set.of(Role.TEACHER, Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER, Role.ADMIN);
      case REPORT_BLOCKED: case REPORT_TOP_BLOCKED: case REPORT_BYPASSES: case REPORT_UNBLOCKS: case REPORT_ALERTS:
        return Set.of(Role.GOVERNOR, Role.SENIOR_LEADER, Role.DSL, Role.TECHNICIAN);
      case REPORT_AUDIT:
        return AUDITORS;
      case REPORT_TIMELINE:
        return Set.of(Role.DSL, Role.SENIOR_LEADER, Role.TEACHER);
      case REPORT_TIMELINE_ALERT: case REPORT_DIGEST:
        return SAFEGUARDING;
      case REPORT_EVIDENCE: case REPORT_EVIDENCE_HTML: case REPORT_EVIDENCE_CSV:
        return Set.of(Role.GOVERNOR, Role.SENIOR_LEADER, Role.DSL);
      case DRY_RUNS_LIST: case DRY_RUN_START: case DRY_RUN_GET: case DRY_RUN_CANCEL:
        return Set.of(Role.TECHNICIAN, Role.SENIOR_LEADER);
      default:
        throw new AssertionError("route " + route + " is missing from the expected table");
    }
  }

  /**
   * Routes that also let through any signed-in account, for what is assigned to it: the handler
   * shows such a caller only its own (an empty list; 404 for an id that is not assigned to it).
   */
  static boolean openToAssignee(ApiRoute route) {
    switch (route) {
      case INCIDENTS_LIST: case INCIDENT_GET: case INCIDENT_NOTE: case INCIDENT_ACTION:
        return true;
      default:
        return false;
    }
  }

  static List<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (ApiRoute route : ApiRoute.values()) {
      cells.add(Arguments.of(route, "anonymous"));
      for (Role role : Role.values()) {
        cells.add(Arguments.of(route, role.apiName()));
      }
    }
    return cells;
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cells")
  void everyRouteAnswersEachCallerAsItsAccessSays(ApiRoute route, String caller) {
    Set<Role> allowed = expectedRoles(route);
    Role role = Role.parse(caller).orElse(null);
    AdminApi.Client client = role == null ? api.anonymous()
        // logging out ends the session, so that cell signs in afresh
        : route == ApiRoute.LOGOUT ? api.withToken(api.login(role.apiName())) : api.as(role);
    String path = route.path().replace("{id}", "999999").replace("{list}", "school-blocked")
        .replace("{category}", "gambling").replace("{group}", "staff");
    String body = route.method().name().equals("GET") || route.method().name().equals("DELETE") ? null : "{}";

    Reply reply = client.send(route.method().name(), path, body);

    if (allowed == null || (role != null && allowed.contains(role))) {
      assertThat(reply.status()).as("%s as %s: %s", route.text(), caller, reply.body())
          .isNotIn(401, 403, 405, 500);
      if (reply.status() == 404) {
        assertThat(reply.message()).doesNotStartWith("no route for");
      }
    } else if (role != null && openToAssignee(route)) {
      // nothing is assigned to this caller: the list is empty and every id is unknown
      if (route == ApiRoute.INCIDENTS_LIST) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("incidents")).as(reply.body()).isEmpty();
      } else {
        assertThat(reply.status()).as(reply.body()).isIn(400, 404);
        assertThat(reply.code()).isIn("not_found", "invalid");
      }
    } else if (role == null) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("unauthenticated");
    } else {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("forbidden");
      assertThat(reply.message()).isEqualTo(route.text() + " needs one of: " + route.access().roleNames());
    }
  }

  @Test
  void theRouteTableMatchesTheIndependentlyWrittenExpectations() {
    for (ApiRoute route : ApiRoute.values()) {
      Access access = route.access();
      Set<Role> expected = expectedRoles(route);
      if (expected == null) {
        assertThat(access.open()).as(route.text()).isTrue();
      } else if (expected.equals(ALL)) {
        assertThat(access.anyAccount()).as(route.text()).isTrue();
      } else {
        assertThat(access.roles()).as(route.text()).isEqualTo(expected);
      }
      assertThat(access.assignee()).as(route.text() + " open to an assignee").isEqualTo(openToAssignee(route));
    }
  }

  @Test
  void aForbiddenAnswerNamesTheRolesThatWould() {
    Reply reply = api.as(Role.TEACHER).post("/api/v1/policy/reload", "");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.json().get("code").asText()).isEqualTo("forbidden");
    assertThat(reply.message()).isEqualTo("POST /api/v1/policy/reload needs one of: technician");
  }

  @Test
  void anUnknownBearerTokenIsUnauthenticated() {
    Reply reply = api.withToken("not-a-real-token").get("/api/v1/me");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("unauthenticated");
    assertThat(reply.message()).contains("expired, was revoked, or its account is disabled");
  }

  @Test
  void aNonBearerAuthorizationHeaderIsRefusedSayingWhatToSend() {
    Reply reply = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/api/v1/me"))
        .header("Authorization", "Basic dGVhY2hlcjpwYXNz").GET());

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.message()).isEqualTo(
        "the Authorization header is not a bearer token (expected: Authorization: Bearer <token>)");
  }
}
