package org.schoolgate.admin.auth;

import io.javalin.http.Context;
import java.util.Objects;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore.Principal;

/**
 * The signed-in account behind a request, as {@link AdminGuard} found it.
 *
 * @param account the account (enabled: the store refuses tokens of disabled accounts)
 * @param kind a session (browser sign-in) or an API token
 * @param token the token the request carried, for logout; never logged
 * @param address the client address, for the audit trail
 */
public record Caller(Account account, Principal.Kind kind, String token, String address) {
  private static final String ATTRIBUTE = "schoolgate.caller";

  public Caller {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(kind, "kind");
  }

  /** The caller of a route that needs sign-in; fails loudly if the guard did not run. */
  public static Caller of(Context ctx) {
    Caller caller = ctx.attribute(ATTRIBUTE);
    if (caller == null) {
      throw new IllegalStateException("no caller for " + ctx.method() + " " + ctx.path()
          + ": the route is public or the guard did not run");
    }
    return caller;
  }

  /** Makes this the caller of {@code ctx} (the API guard and the console guard). */
  public void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  public boolean has(Role role) {
    return account.has(role);
  }

  /** Who, for the audit trail. */
  public Actor actor() {
    return Actor.of(account, address);
  }

  @Override
  public String toString() {
    return "Caller[" + account.username() + ", " + kind + "]";
  }
}
