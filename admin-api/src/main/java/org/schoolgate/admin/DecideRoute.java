package org.schoolgate.admin;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.auth.TaughtGroups;
import org.schoolgate.admin.explain.Explainer;
import org.schoolgate.admin.explain.Explanation;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.store.AccountStore;

/**
 * {@code GET /api/v1/decide?client=IP&user=U&group=DN&group=DN&url=URL&at=ISO}: the decision the
 * proxy would make, explained; {@code group} (repeated) gives the user's directory groups, as a
 * sign-in would. Reads the policy snapshot once, like a proxied request. A teacher gets answers
 * only for the policy groups they teach ({@link TaughtGroups}): a question that lands in another
 * group is 403 {@code group_not_taught}, and with no groups set every question is 403 {@code
 * no_taught_groups}.
 */
final class DecideRoute {
  private final PolicyHolder holder;
  private final Clock clock;
  private final AccountStore accounts;

  DecideRoute(PolicyHolder holder, Clock clock, AccountStore accounts) {
    this.holder = holder;
    this.clock = clock;
    this.accounts = accounts;
  }

  void handle(Context ctx) {
    PolicySnapshot snapshot = holder.current();
    String url = ctx.queryParam("url");
    Explainer.parseUrl(url, "url"); // a missing or bad URL is reported before the other fields
    InetAddress client = Inputs.client(ctx.queryParam("client"), "client");
    Instant at = Inputs.at(ctx.queryParam("at"), snapshot.timezone(), clock, "at");
    java.util.List<String> groups = Explainer.directoryGroups(ctx.queryParams("group"), "group");
    TaughtGroups.Scope scope = TaughtGroups.of(Caller.of(ctx).account(), accounts, snapshot);
    if (scope instanceof TaughtGroups.Scope.Only only && only.groups().isEmpty()) {
      throw TaughtGroups.noGroups();
    }
    Explanation e = Explainer.forPerson(snapshot, client, ctx.queryParam("user"), groups, at).explain(url);
    if (scope instanceof TaughtGroups.Scope.Only only && e.group() != null && !only.groups().contains(e.group())) {
      throw TaughtGroups.notTaught(e.group(), only.groups());
    }
    ctx.json(e);
  }
}
