package org.schoolgate.admin;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import org.schoolgate.admin.explain.Explainer;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;

/**
 * {@code GET /api/v1/decide?client=IP&user=U&group=DN&group=DN&url=URL&at=ISO}: the decision the
 * proxy would make, explained; {@code group} (repeated) gives the user's directory groups, as a
 * sign-in would. Reads the policy snapshot once, like a proxied request.
 */
final class DecideRoute {
  private final PolicyHolder holder;
  private final Clock clock;

  DecideRoute(PolicyHolder holder, Clock clock) {
    this.holder = holder;
    this.clock = clock;
  }

  void handle(Context ctx) {
    PolicySnapshot snapshot = holder.current();
    String url = ctx.queryParam("url");
    Explainer.parseUrl(url, "url"); // a missing or bad URL is reported before the other fields
    InetAddress client = Inputs.client(ctx.queryParam("client"), "client");
    Instant at = Inputs.at(ctx.queryParam("at"), snapshot.timezone(), clock, "at");
    java.util.List<String> groups = Explainer.directoryGroups(ctx.queryParams("group"), "group");
    ctx.json(Explainer.forPerson(snapshot, client, ctx.queryParam("user"), groups, at).explain(url));
  }
}
