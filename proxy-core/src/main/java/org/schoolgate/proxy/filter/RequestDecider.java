package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.policy.url.UrlParser;
import org.schoolgate.identity.Who;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one request without touching the channel: parses the target with the one
 * {@link UrlParser} (the request-target wins over the Host header; an origin-form request is
 * not for a forward proxy and gets the bad-request page), reads the policy snapshot once, identifies the client (cached per connection and
 * snapshot) and asks the policy, passing the client's address (unblocks may be scoped to a
 * room's subnet), and for an allowed request the safe variant of a search or video site the
 * group is held to ({@code safesearch:}); the search term of a request to a search site, for the
 * access log and the alert rules (this is the decision path every request seen in clear takes). No policy, or an exception while identifying or deciding, blocks
 * (fail closed) and is counted. A CONNECT to the school's own admin origin ({@code
 * admin.public-url}) skips the port and IP-literal checks and, for a group whose devices trust
 * the school CA (interception not off), is decrypted: inside, each request gets {@code
 * Forwarded: for=<client>} and the proxy's key like a plain HTTP one, which a tunnel cannot carry.
 *
 * <p>An absolute-form target whose host differs from the Host header is logged (both hosts,
 * normalised; nothing else of the request; at most 20 such lines a minute, the rest counted in the
 * next) and counted in the metrics; a host in a mixed or confusable script is
 * logged as a possible look-alike. Non-ASCII bytes in the request line arrive from Netty as
 * ISO-8859-1 characters; when they form valid UTF-8 they are read as UTF-8, as a browser sent
 * them.
 */
final class RequestDecider {
  private static final Logger log = LoggerFactory.getLogger(RequestDecider.class);
  private static final LogLimiter LOOK_ALIKE_LINES = LogLimiter.perMinute(20);
  private static final LogLimiter HOST_CONFLICT_LINES = LogLimiter.perMinute(20);
  static final GroupId UNKNOWN = new GroupId(ProxyMetrics.UNKNOWN_GROUP);

  private final Supplier<PolicySnapshot> policy;
  private final ProxyMetrics metrics;
  private final boolean interception;
  private final DestinationGuard guard;

  RequestDecider(Supplier<PolicySnapshot> policy, ProxyMetrics metrics) {
    this(policy, metrics, false);
  }

  /** {@code interception}: the proxy can intercept, so CONNECTs get the policy's choice. */
  RequestDecider(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, boolean interception) {
    this(policy, metrics, interception, null);
  }

  /**
   * {@code guard}: knows the school's admin origin, whose CONNECTs skip the port and IP-literal
   * checks (the block page links there) and are decrypted for groups whose devices trust the
   * school CA, so the admin API learns who signs in; null: no admin origin.
   */
  RequestDecider(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, boolean interception,
      DestinationGuard guard) {
    this.policy = policy;
    this.metrics = metrics;
    this.interception = interception;
    this.guard = guard;
  }

  /** The policy to decide with; read once per request, before the client is identified. */
  PolicySnapshot policy() {
    return policy.get();
  }

  /**
   * Decides {@code request} from {@code client} for {@code who}, identified under
   * {@code snapshot} (null: no policy is loaded, so the request is blocked).
   */
  Verdict decide(HttpRequest request, PolicySnapshot snapshot, Who who, InetAddress client, Instant at) {
    boolean connect = HttpMethod.CONNECT.equals(request.method());
    ParsedUrl target;
    try {
      target = parseTarget(request, connect);
    } catch (RuntimeException e) {
      return new Verdict.BadTarget(e.getMessage());
    }
    if (!connect) {
      noteHostConflict(request, target);
    }
    return decideTarget(target, connect, snapshot, who, client, at);
  }

  /**
   * Decides a request read inside an intercepted tunnel to {@code host:port}: its URL is
   * {@code https://host[:port]} and the request's path and query (the tunnel's host wins over
   * the Host header, as the request-target does over plain HTTP).
   */
  Verdict decideIntercepted(HttpRequest request, String host, int port, PolicySnapshot snapshot,
      Who who, InetAddress client, Instant at) {
    ParsedUrl target;
    try {
      target = parseIntercepted(request.uri(), host, port);
    } catch (RuntimeException e) {
      return new Verdict.BadTarget(e.getMessage());
    }
    return decideTarget(target, false, snapshot, who, client, at);
  }

  static ParsedUrl parseIntercepted(String uri, String host, int port) {
    String u = utf8(uri);
    String pathAndQuery;
    if (u.startsWith("/")) {
      pathAndQuery = u;
    } else if (u.equals("*")) {
      pathAndQuery = "/";
    } else {
      ParsedUrl absolute = UrlParser.parse(u);
      pathAndQuery = absolute.pathAndQuery();
    }
    String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + (port == 443 ? "" : ":" + port);
    return UrlParser.parse("https://" + authority + pathAndQuery);
  }

  private Verdict decideTarget(ParsedUrl target, boolean connect, PolicySnapshot snapshot, Who asked,
      InetAddress client, Instant at) {
    if (target.mixedScript()) {
      long heldBack = LOOK_ALIKE_LINES.admit();
      if (heldBack >= 0) {
        log.info("host {} is a possible look-alike (mixed or confusable script){}", target.host(),
            LogLimiter.note(heldBack));
      }
    }
    long start = System.nanoTime();
    try {
      if (snapshot == null) {
        return failClosed(target, connect, ZoneOffset.UTC, "no policy is loaded", null);
      }
      ZoneId zone = snapshot.timezone();
      if (asked instanceof Who.Refused refused) {
        return new Verdict.Refused(target, connect, refused.reason(), zone);
      }
      if (!(asked instanceof Who.Known known)) {
        return new Verdict.NotSignedIn(target, connect, asked, zone);
      }
      Identification.Identified who = known.identification();
      boolean adminOrigin = connect && guard != null
          && guard.isAdminOrigin(target.host(), target.port());
      if (connect && !adminOrigin) {
        Decision tunnel = tunnelChecks(snapshot, who.group(), target);
        if (tunnel != null) {
          return new Verdict.Decided(target, true, tunnel, zone, who.user());
        }
      }
      String path = connect ? "" : target.pathAndQuery();
      Decision decision = snapshot.decide(
          new RequestFacts(who.group(), who.user(), target.host(), path, at, client, who.person()));
      if (decision == null) {
        return failClosed(target, connect, zone, "the policy returned no decision", null);
      }
      if (decision.rule() == Rule.FAIL_CLOSED) {
        metrics.failClosed();
      }
      String safeHost = decision.blocked() ? null
          : snapshot.safeSearchHost(who.group(), target.host());
      String search = connect ? null : searchTerm(snapshot, target);
      InterceptChoice intercept = !connect || !interception ? InterceptChoice.NONE
          : adminOrigin && !decision.blocked() ? snapshot.adminInterception(who.group())
          : snapshot.interception(who.group(), target.host(), decision);
      return new Verdict.Decided(target, connect, decision, zone, who.user(), safeHost, search,
          intercept == null ? InterceptChoice.NONE : intercept, snapshot);
    } catch (RuntimeException e) {
      return failClosed(target, connect, ZoneOffset.UTC, "the filter could not decide", e);
    } finally {
      metrics.decisionLatency(System.nanoTime() - start);
    }
  }

  /**
   * The search term of a request to a search site, from the snapshot the request was decided
   * with (blocked or allowed: the attempt is what safeguarding needs); null for other hosts
   * (nothing allocated) and when extracting fails, which never affects the decision.
   */
  private static String searchTerm(PolicySnapshot snapshot, ParsedUrl target) {
    try {
      return snapshot.searchTerm(target.host(), target.path(), target.query());
    } catch (RuntimeException e) {
      log.warn("could not read the search term of a request to {}", target.host(), e);
      return null;
    }
  }

  /**
   * The CONNECT-time tunnel checks, before the host is decided: a port outside
   * {@code tunnels.allowed-ports} blocks; an IP literal outside {@code tunnels.ip-allow} is
   * decided by the group's {@code ip-literal} level. Returns the blocking decision, or null to go
   * on and decide the host. Allocates nothing.
   */
  private Decision tunnelChecks(PolicySnapshot snapshot, GroupId group, ParsedUrl target) {
    if (!snapshot.tunnelPortAllowed(target.port())) {
      metrics.tunnelCheck(TunnelCheck.PORT, Action.BLOCK);
      return snapshot.decideTunnel(group, TunnelCheck.PORT);
    }
    if (TunnelTarget.isIpLiteral(target.host()) && !snapshot.tunnelIpAllowed(target.host())) {
      Decision d = snapshot.decideTunnel(group, TunnelCheck.IP_LITERAL);
      metrics.tunnelCheck(TunnelCheck.IP_LITERAL, d.action());
      return d.blocked() ? d : null;
    }
    return null;
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

  /**
   * Logs and counts an absolute-form request whose Host header names another host. Allocates
   * nothing when the header is the target's host, with or without a port.
   */
  private void noteHostConflict(HttpRequest request, ParsedUrl target) {
    String header = request.headers().get(HttpHeaderNames.HOST);
    if (header == null) {
      return; // absent: the request-target is all there is
    }
    String host = target.host();
    if (header.startsWith(host)
        && (header.length() == host.length() || header.charAt(host.length()) == ':')) {
      return;
    }
    String other;
    try {
      other = UrlParser.parse("http://" + utf8(header.strip()) + "/").host();
    } catch (RuntimeException e) {
      other = "(unreadable)";
    }
    if (!other.equals(host)) {
      metrics.hostConflict();
      long heldBack = HOST_CONFLICT_LINES.admit();
      if (heldBack >= 0) {
        log.info("request-target host {} differs from Host header host {}; the request-target is"
            + " used{}", host, other, LogLimiter.note(heldBack));
      }
    }
  }

  /** The target of {@code request}; throws IllegalArgumentException saying what is wrong. */
  static ParsedUrl parseTarget(HttpRequest request, boolean connect) {
    String uri = utf8(request.uri());
    if (connect) {
      return UrlParser.parseConnectTarget(uri);
    }
    if (uri.startsWith("/") || uri.equals("*")) {
      // a forward proxy's client names the site in the request line (RFC 9112 3.2.2); an
      // origin-form request is for the proxy itself, which serves no pages
      throw new IllegalArgumentException("origin-form request " + uri + " sent to the proxy"
          + " (expected: an absolute URL such as http://host/path; set this address as the"
          + " browser's proxy)");
    }
    ParsedUrl parsed = UrlParser.parse(uri);
    if (!parsed.scheme().equals("http") && !parsed.scheme().equals("ws")) {
      throw new IllegalArgumentException("scheme '" + parsed.scheme()
          + "' cannot be proxied (expected: http://..., or CONNECT for https)");
    }
    return parsed;
  }

  /**
   * {@code s} read as UTF-8 when its characters are ISO-8859-1 bytes that form valid UTF-8 (how
   * Netty hands over a request line with raw UTF-8); otherwise {@code s} itself. ASCII input is
   * returned at once.
   */
  static String utf8(String s) {
    boolean high = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        return s;
      }
      high |= c >= 0x80;
    }
    if (!high) {
      return s;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      return s;
    }
  }
}
