package org.schoolgate.admin.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * Account management for admins: {@code GET|POST /api/v1/accounts}, {@code GET
 * /api/v1/accounts/{id}}, {@code PUT .../roles}, {@code POST .../disable|enable|password}, {@code
 * GET|PUT .../groups} (the groups a teacher teaches). The
 * store audits every change. An admin cannot disable their own account or take away their own
 * admin role, so a school is never left without a way in.
 */
public final class AccountRoutes {
  private final Store store;
  private final ObjectMapper mapper;
  private final PolicyHolder holder;

  public AccountRoutes(Store store, ObjectMapper mapper, PolicyHolder holder) {
    this.store = store;
    this.mapper = mapper;
    this.holder = holder;
  }

  record Groups(List<String> groups) {}

  record Accounts(List<AccountView> accounts) {}

  public void list(Context ctx) {
    ctx.json(new Accounts(store.accounts().list().stream().map(AccountView::of).toList()));
  }

  public void get(Context ctx) {
    ctx.json(AccountView.of(account(ctx)));
  }

  public void create(Context ctx) {
    Caller caller = Caller.of(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String username = body.text("username", "1-64 of a-z, 0-9, '.', '_', '-', e.g. j.smith");
    String displayName = body.text("displayName", "the person's name, e.g. Jo Smith");
    Set<Role> roles = Roles.parse(body.texts("roles", Roles.EXPECTED), "roles");
    char[] password = body.secret("password", "a first password of at least 12 characters");
    try {
      Account created = store.accounts().create(username, displayName, password, roles, caller.actor());
      ctx.status(HttpStatus.CREATED).json(AccountView.of(created));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  public void setRoles(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account account = account(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    Set<Role> roles = Roles.parse(body.texts("roles", Roles.EXPECTED), "roles");
    String reason = body.optionalText("reason", "why the roles change");
    if (account.id().equals(caller.account().id()) && !roles.contains(Role.ADMIN)) {
      throw ApiException.conflict("own_account",
          "you cannot remove the admin role from your own account; ask another admin");
    }
    ctx.json(AccountView.of(store.accounts().setRoles(account.id(), roles, caller.actor(), reason)));
  }

  public void disable(Context ctx) {
    setDisabled(ctx, true);
  }

  public void enable(Context ctx) {
    setDisabled(ctx, false);
  }

  private void setDisabled(Context ctx, boolean disabled) {
    Caller caller = Caller.of(ctx);
    Account account = account(ctx);
    String reason = JsonBody.parse(mapper, ctx.body()).optionalText("reason", "why");
    if (disabled && account.id().equals(caller.account().id())) {
      throw ApiException.conflict("own_account", "you cannot disable your own account; ask another admin");
    }
    ctx.json(AccountView.of(store.accounts().setDisabled(account.id(), disabled, caller.actor(), reason)));
  }

  public void resetPassword(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account account = account(ctx);
    char[] password = JsonBody.parse(mapper, ctx.body())
        .secret("password", "a new password of at least 12 characters");
    try {
      store.accounts().setPassword(account.id(), password, caller.actor());
    } finally {
      Arrays.fill(password, '\0');
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  /**
   * {@code POST /api/v1/accounts/{id}/second-factor/reset {reason}}: a lost phone. The enrolment and
   * its recovery codes go; the account sets up a new one at its next console sign-in. Audited as
   * {@code account.second_factor_reset}.
   */
  public void resetSecondFactor(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account account = account(ctx);
    String reason = JsonBody.parse(mapper, ctx.body()).text("reason", "why, e.g. \"lost phone, checked in person\"");
    if (account.id().equals(caller.account().id())) {
      throw ApiException.conflict("own_account", "you cannot reset your own second factor; ask another admin");
    }
    if (!store.secondFactors().reset(account.id(), reason, caller.actor())) {
      throw ApiException.conflict("not_enrolled", "account " + account.username()
          + " has no second factor to reset; it sets one up at its next console sign-in");
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  /** {@code GET /api/v1/accounts/{id}/groups}: the policy groups the account teaches. */
  public void groups(Context ctx) {
    ctx.json(new Groups(store.accounts().taughtGroups(account(ctx).id())));
  }

  /**
   * {@code PUT /api/v1/accounts/{id}/groups {groups, reason}}: the groups a teacher's "why is this
   * blocked?" answers for; each must be a group of the policy in force (422 {@code unknown_group}
   * names the unknown ones and the known ones). Audited as {@code account.groups_changed}.
   */
  public void setGroups(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account account = account(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    if (!body.has("groups")) {
      throw ApiException.invalid("groups", "groups is required (expected: the policy groups the person teaches,"
          + " e.g. [\"ks3-4\"]; [] for none)");
    }
    List<String> groups = TaughtGroups.validate(holder.current(), body.texts("groups", "policy group names, e.g."
        + " [\"ks3-4\"]"));
    String reason = body.optionalText("reason", "why the groups change");
    ctx.json(new Groups(store.accounts().setTaughtGroups(account.id(), groups, caller.actor(), reason)));
  }

  private Account account(Context ctx) {
    long id = AuthRoutes.pathId(ctx);
    return store.accounts().byId(new AccountId(id)).orElseThrow(() -> ApiException.notFound(
        "there is no account " + id + " (GET /api/v1/accounts lists them)"));
  }
}
