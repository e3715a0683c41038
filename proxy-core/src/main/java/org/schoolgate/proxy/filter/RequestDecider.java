package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.policy.url.UrlParser;
import org.schoolgate.proxy.identity.IdentityCache;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one request without touching the channel: parses the target (the request-target wins
 * over the Host header; origin-form requests use Host), reads the policy snapshot once,
 * identifies the client (cached per connection and snapshot) and asks the policy. No policy, or
 * an exception while identifying or deciding, blocks (fail closed) and is counted.
 */
final class RequestDecider {
  private static final Logger log = LoggerFactory.getLogger(RequestDecider.class);
  static final GroupId UNKNOWN = new GroupId(ProxyMetrics.UNKNOWN_GROUP);

  private final Supplier<PolicySnapshot> policy;
  private final ProxyMetrics metrics;
  private volatile PolicySnapshot lastSeen;

  RequestDecider(Supplier<PolicySnapshot> policy, ProxyMetrics metrics) {
    this.policy = policy;
    this.metrics = metrics;
  }

  Verdict decide(HttpRequest request, IdentityCache identity, InetAddress client, Instant at) {
    boolean connect = HttpMethod.CONNECT.equals(request.method());
    ParsedUrl target;
    try {
      target = parseTarget(request, connect);
    } catch (RuntimeException e) {
      return new Verdict.BadTarget(e.getMessage());
    }
    long start = System.nanoTime();
    try {
      PolicySnapshot snapshot = policy.get();
      if (snapshot == null) {
        return failClosed(target, connect, ZoneOffset.UTC, "no policy is loaded", null);
      }
      if (snapshot != lastSeen) {
        metrics.ensureGroups(snapshot.groups());
        lastSeen = snapshot;
      }
      ZoneId zone = snapshot.timezone();
      Identification id = identity.identify(snapshot, client, null);
      if (id instanceof Identification.Refused refused) {
        return new Verdict.Refused(target, connect, refused.reason(), zone);
      }
      Identification.Identified who = (Identification.Identified) id;
      String path = connect ? "" : target.pathAndQuery();
      Decision decision = snapshot.decide(
          new RequestFacts(who.group(), who.user(), target.host(), path, at));
      if (decision == null) {
        return failClosed(target, connect, zone, "the policy returned no decision", null);
      }
      if (decision.rule() == Rule.FAIL_CLOSED) {
        metrics.failClosed();
      }
      return new Verdict.Decided(target, connect, decision, zone, who.user());
    } catch (RuntimeException e) {
      return failClosed(target, connect, ZoneOffset.UTC, "the filter could not decide", e);
    } finally {
      metrics.decisionLatency(System.nanoTime() - start);
    }
  }

  private Verdict failClosed(ParsedUrl target, boolean connect, ZoneId zone, String why,
      RuntimeException cause) {
    metrics.failClosed();
    if (cause != null) {
      log.warn("deciding {} failed; blocked (fail closed)", target.host(), cause);
    }
    Decision block = new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED, UNKNOWN,
        CategorySet.EMPTY, null, why + ", so the request is blocked to be safe");
    return new Verdict.Decided(target, connect, block, zone, null);
  }

  /** The target of {@code request}; throws IllegalArgumentException saying what is wrong. */
  static ParsedUrl parseTarget(HttpRequest request, boolean connect) {
    String uri = request.uri();
    if (connect) {
      return UrlParser.parseConnectTarget(uri);
    }
    if (uri.startsWith("/")) {
      String host = request.headers().get(HttpHeaderNames.HOST);
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("origin-form request " + uri + " has no Host header");
      }
      return UrlParser.parse("http://" + host.trim() + uri);
    }
    ParsedUrl parsed = UrlParser.parse(uri);
    if (!parsed.scheme().equals("http") && !parsed.scheme().equals("ws")) {
      throw new IllegalArgumentException("scheme '" + parsed.scheme()
          + "' cannot be proxied (expected: http://..., or CONNECT for https)");
    }
    return parsed;
  }
}
