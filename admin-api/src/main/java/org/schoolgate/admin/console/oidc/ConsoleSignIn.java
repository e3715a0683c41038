package org.schoolgate.admin.console.oidc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.console.signin.SignInPages;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.OidcOutcome;
import org.schoolgate.admin.metrics.AdminMetrics.OidcPurpose;
import org.schoolgate.admin.metrics.AdminMetrics.OidcRefusal;
import org.schoolgate.admin.oidc.OidcPerson;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Store;

/**
 * The console's half of an OpenID Connect sign-in: the person the provider vouched for signs in to
 * the local account of the same user name (the user-name claim's part before {@code @}; its domain
 * was checked against {@code oidc.allowed-domains}). OIDC never creates an account and never
 * changes roles: an account that does not exist, or is disabled, is refused. Audited like a
 * password sign-in ({@code login} / {@code login.failed}, with the client address), then the
 * second factor as after a password ({@code oidc.console-second-factor: required}, the default) or
 * not ({@code provider}). The browser continues through a page that moves on by itself: the
 * provider's redirect was a cross-site navigation, and the console's strict cookies only travel
 * on a navigation that starts on the console's own page.
 */
public final class ConsoleSignIn {
  private final View view;
  private final SignInPages pages;
  private final Store store;
  private final OidcSettings settings;
  private final AdminMetrics metrics;

  ConsoleSignIn(View view, SignInPages pages, Store store, OidcSettings settings, AdminMetrics metrics) {
    this.view = view;
    this.pages = pages;
    this.store = store;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The continue page's model: where the browser goes next. */
  public record ContinueModel(String next) {}

  void signIn(Context ctx, OidcPerson person, String next, String address) {
    String username = person.localPart();
    Optional<Account> found = store.accounts().byUsername(username).filter(a -> !a.disabled());
    String provider = settings.issuer().getHost();
    if (found.isEmpty()) {
      metrics.oidcRefused(OidcRefusal.NO_ACCOUNT);
      metrics.oidcSignIn(OidcPurpose.CONSOLE, OidcOutcome.REFUSED);
      metrics.login(AdminMetrics.Login.FAILED);
      store.audit().append(new AuditEntry("login.failed", new Actor(null, username, address), "account:" + username,
          "OpenID Connect sign-in (" + provider + ") as " + person.user() + ": no enabled account of that name",
          null, null));
      view.error(ctx, HttpStatus.FORBIDDEN, "You are not signed in", "Your school account (" + person.user()
          + ") has no Schoolgate account named " + username + ", or it is disabled. Ask a Schoolgate admin to"
          + " create or enable one; signing in with your school account never creates one.");
      return;
    }
    Account account = found.get();
    store.audit().append(new AuditEntry("login", Actor.of(account, address), "account:" + account.username(),
        "OpenID Connect sign-in (" + provider + ") as " + person.user(), null, null));
    boolean ask = settings.consoleSecondFactor() == OidcSettings.SecondFactor.REQUIRED;
    Optional<String> then = pages.firstFactorPassed(ctx, account, next, ask);
    if (then.isEmpty()) {
      metrics.oidcSignIn(OidcPurpose.CONSOLE, OidcOutcome.UNAVAILABLE);
      view.error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Try again shortly", "Too many sign-ins are in progress."
          + " Wait a minute and try again.");
      return;
    }
    metrics.oidcSignIn(OidcPurpose.CONSOLE, OidcOutcome.SIGNED_IN);
    view.render(ctx, "signin/continue.jte", view.page(ctx, "Signed in"), new ContinueModel(then.get()));
  }
}
