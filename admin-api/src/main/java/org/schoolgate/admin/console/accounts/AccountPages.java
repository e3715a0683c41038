package org.schoolgate.admin.console.accounts;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.auth.TaughtGroups;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.Times;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Role;

/**
 * {@code GET /accounts} (every account and the form to create one), {@code POST /accounts},
 * {@code GET /accounts/{id}} and {@code POST /accounts/{id}/{change}} where change is {@code roles},
 * {@code groups} (the policy groups a teacher teaches), {@code disable}, {@code enable}, {@code
 * password} or {@code second-factor-reset} (a reason is
 * required: it goes to the audit trail). The same rules as the JSON API: an admin cannot disable
 * their own account, drop their own admin role or reset their own second factor.
 */
public final class AccountPages {
  private final View view;
  private final Console.Services s;

  public AccountPages(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** An account as the pages show it. */
  public record Row(long id, String username, String displayName, List<String> roles, boolean disabled,
      boolean directory, String created, String secondFactor, boolean needsSecondFactor, boolean self) {}

  public record ListModel(List<Row> accounts, List<String> roles) {}

  /**
   * One account's page: {@code groups} are the policy's groups, each marked when the account
   * teaches it; {@code staleGroups} are taught groups the policy no longer has.
   */
  public record AccountModel(Row account, List<String> roles, List<GroupChoice> groups, List<String> staleGroups) {}

  /** A policy group's checkbox. */
  public record GroupChoice(String name, boolean checked) {}

  static List<String> allRoles() {
    return Arrays.stream(Role.values()).map(Role::apiName).toList();
  }

  private Row row(Account a, Caller caller, ZoneId zone) {
    String factor = s.secondFactor().enrolment(a).map(e -> "set up " + Times.when(e.enrolledAt(), zone))
        .orElse(SecondFactor.required(a) ? "not set up: asked at next sign-in" : "not needed");
    return new Row(a.id().value(), a.username(), a.displayName(), a.roles().stream().map(Role::apiName).sorted()
        .toList(), a.disabled(), a.directory(), Times.when(a.createdAt(), zone), factor, SecondFactor.required(a),
        a.id().equals(caller.account().id()));
  }

  public void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    ZoneId zone = s.holder().current().timezone();
    List<Row> rows = s.store().accounts().list().stream().map(a -> row(a, caller, zone)).toList();
    view.render(ctx, "accounts/list.jte", view.page(ctx, "Accounts"), new ListModel(rows, allRoles()));
  }

  public void create(Context ctx) {
    Caller caller = Caller.of(ctx);
    String username = field(ctx, "username");
    char[] password = field(ctx, "password").toCharArray();
    try {
      Account a = s.store().accounts().create(username, field(ctx, "displayName"), password, roles(ctx),
          caller.actor());
      Flash.success(ctx, "Created account " + a.username() + "."
          + (SecondFactor.required(a) ? " It sets up its second factor at its first sign-in." : ""));
      ctx.redirect("/accounts/" + a.id().value(), HttpStatus.SEE_OTHER);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  public void show(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account a = account(ctx);
    List<String> taught = s.store().accounts().taughtGroups(a.id());
    List<String> policyGroups = s.holder().current().groups().stream().map(org.schoolgate.policy.GroupId::value)
        .toList();
    view.render(ctx, "accounts/account.jte", view.page(ctx, "Account " + a.username()),
        new AccountModel(row(a, caller, s.holder().current().timezone()), allRoles(),
            policyGroups.stream().map(g -> new GroupChoice(g, taught.contains(g))).toList(),
            taught.stream().filter(g -> !policyGroups.contains(g)).toList()));
  }

  public void change(Context ctx) {
    Caller caller = Caller.of(ctx);
    Account a = account(ctx);
    boolean self = a.id().equals(caller.account().id());
    String reason = ctx.formParam("reason") == null || ctx.formParam("reason").isBlank() ? null
        : ctx.formParam("reason").strip();
    String done;
    switch (ctx.pathParam("change")) {
      case "roles" -> {
        Set<Role> roles = roles(ctx);
        if (self && !roles.contains(Role.ADMIN)) {
          throw ApiException.conflict("own_account", "You cannot remove the admin role from your own account;"
              + " ask another admin.");
        }
        s.store().accounts().setRoles(a.id(), roles, caller.actor(), reason);
        done = "Roles of " + a.username() + " are now: " + String.join(", ", roles.stream().map(Role::apiName)
            .sorted().toList()) + ".";
      }
      case "disable" -> {
        if (self) {
          throw ApiException.conflict("own_account", "You cannot disable your own account; ask another admin.");
        }
        s.store().accounts().setDisabled(a.id(), true, caller.actor(), reason);
        done = "Disabled " + a.username() + ": it can no longer sign in.";
      }
      case "groups" -> {
        List<String> groups = s.store().accounts().setTaughtGroups(a.id(),
            TaughtGroups.validate(s.holder().current(), ctx.formParams("groups")), caller.actor(), reason);
        done = groups.isEmpty() ? a.username() + " teaches no groups now: a teacher's \"why is this blocked?\""
            + " answers for none." : a.username() + " teaches: " + String.join(", ", groups) + ".";
      }
      case "enable" -> {
        s.store().accounts().setDisabled(a.id(), false, caller.actor(), reason);
        done = "Enabled " + a.username() + ".";
      }
      case "password" -> {
        char[] password = field(ctx, "password").toCharArray();
        try {
          s.store().accounts().setPassword(a.id(), password, caller.actor());
        } finally {
          Arrays.fill(password, '\0');
        }
        done = "Set a new password for " + a.username() + ". Give it to them in person.";
      }
      case "second-factor-reset" -> {
        if (reason == null) {
          throw ApiException.invalid("reason", "Say why the second factor is reset (e.g. \"lost phone, checked in"
              + " person\"): it goes to the audit trail.");
        }
        if (self) {
          throw ApiException.conflict("own_account", "You cannot reset your own second factor; ask another admin.");
        }
        if (!s.store().secondFactors().reset(a.id(), reason, caller.actor())) {
          throw ApiException.conflict("not_enrolled", a.username() + " has no second factor to reset; it sets one"
              + " up at its next sign-in.");
        }
        done = "Reset the second factor of " + a.username() + ": it sets up a new one at its next sign-in.";
      }
      default -> throw ApiException.notFound("There is no change '" + ctx.pathParam("change") + "' for an account.");
    }
    Flash.success(ctx, done);
    ctx.redirect("/accounts/" + a.id().value(), HttpStatus.SEE_OTHER);
  }

  private Account account(Context ctx) {
    long id = AuthRoutes.pathId(ctx);
    return s.store().accounts().byId(new AccountId(id)).orElseThrow(() -> ApiException.notFound(
        "There is no account " + id + ". The accounts page lists them."));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  private static Set<Role> roles(Context ctx) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : ctx.formParams("roles")) {
      roles.add(Role.parse(name).orElseThrow(() -> ApiException.invalid("roles", "'" + name
          + "' is not a role (expected: " + String.join(", ", allRoles()) + ")")));
    }
    if (roles.isEmpty()) {
      throw ApiException.invalid("roles", "Choose at least one role.");
    }
    return roles;
  }
}
