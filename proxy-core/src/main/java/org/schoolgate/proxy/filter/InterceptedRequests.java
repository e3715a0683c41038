package org.schoolgate.proxy.filter;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.BlockNotice;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.safesearch.SafeSearchRewrite;

/**
 * Decides the requests read inside an intercepted tunnel with the same code as plain HTTP
 * ({@link RequestDecider}): the URL is {@code https://<tunnel host>/<path>?<query>}, so paths and
 * {@code urls} lists apply; the access-log exchange is begun on the connection's session and
 * filled in; a blocked request gets the same block page; an allowed one gets its Host header set
 * to the tunnel's host and, for a group held to SafeSearch, {@code safe=active} or the
 * YouTube-Restrict header. Runs on the client's event loop.
 */
public final class InterceptedRequests {
  private final FilterServices s;

  InterceptedRequests(FilterServices services) {
    this.s = services;
  }

  /** What to do with one decrypted request. */
  public sealed interface Outcome permits Answer, Forward {}

  /** Answer with {@code response} (block or error page); the origin is not asked. */
  public record Answer(FullHttpResponse response) implements Outcome {}

  /**
   * Forward to the origin: connect to {@code dialHost}'s address (the safe host for SafeSearch,
   * else {@code host}), TLS with SNI and name check {@code host}, once {@link #destination}
   * passed the address. {@code decided}, {@code exchange}, {@code head} and {@code keepAlive}
   * are what that check needs to refuse.
   */
  public record Forward(String host, int port, String dialHost, Verdict.Decided decided,
      Exchange exchange, boolean head, boolean keepAlive) implements Outcome {}

  /**
   * Decides {@code request} (read on {@code client}, a channel with a Schoolgate session)
   * inside a tunnel to {@code host:port}; may rewrite the request's URI and headers.
   */
  public Outcome decide(Channel client, HttpRequest request, String host, int port) {
    ClientSession session = ClientSession.of(client);
    boolean head = HttpMethod.HEAD.equals(request.method());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (session == null) {
      s.metrics().failClosed();
      return new Answer(s.pages().error(ErrorPage.NOT_A_CLIENT, head, false));
    }
    Instant at = s.clock().instant();
    Exchange exchange = new Exchange(at, System.nanoTime(), session.clientIp);
    session.exchanges.begin(exchange);
    Verdict verdict = s.decider().decideIntercepted(request, host, port, session.identity,
        session.client.getAddress(), at);
    if (verdict instanceof Verdict.BadTarget bad) {
      exchange.request(request.method().name(), "https", host, port, request.uri(), null);
      exchange.decision("reject", null, "bad-request", bad.detail(), List.of(), ZoneOffset.UTC);
      s.metrics().rejected(Rejection.BAD_REQUEST);
      return new Answer(s.pages().error(ErrorPage.BAD_REQUEST, head, keepAlive));
    }
    if (verdict instanceof Verdict.Refused refused) {
      ExchangeFacts.describe(exchange, request, refused.target(), false);
      exchange.decision("reject", null, "not-a-client", refused.reason(), List.of(), refused.zone());
      s.metrics().rejected(Rejection.NOT_A_CLIENT);
      return new Answer(s.pages().error(ErrorPage.NOT_A_CLIENT, head, false));
    }
    Verdict.Decided decided = (Verdict.Decided) verdict;
    Decision d = decided.decision();
    ParsedUrl target = decided.target();
    ExchangeFacts.describe(exchange, request, target, false);
    ExchangeFacts.decided(exchange, decided);
    s.metrics().request(d.action(), d.level(), d.group());
    if (d.blocked()) {
      return new Answer(s.pages().block(new BlockNotice(target.host(), ExchangeFacts.url(target), d,
          at.atZone(decided.zone())), head, keepAlive));
    }
    request.headers().set(HttpHeaderNames.HOST, ExchangeFacts.authority(target));
    String safeHost = decided.safeHost();
    if (safeHost != null) {
      exchange.safeSearch(safeHost);
      s.metrics().safeSearch(SafeSearchRewrite.target(safeHost), false);
      SafeSearchRewrite.applyHttp(request, target.path(), safeHost);
    }
    Destination named = s.destinations().checkName(decided.snapshot(), d.group(), target.host(),
        session.client.getAddress());
    if (named instanceof Destination.Refused refused) {
      ExchangeFacts.refused(exchange, decided, refused.decision());
      return new Answer(s.pages().error(ErrorPage.INTERNAL_DESTINATION, head, keepAlive));
    }
    return new Forward(target.host(), target.port(), decided.dialHost(), decided, exchange, head,
        keepAlive);
  }

  /**
   * The destination check on {@code address}, where the origin connection for {@code f} is about
   * to go (called by the interception path once the dial host is resolved, on the client's event
   * loop): {@code f} itself to go ahead, or the 403 page (logged as the request's decision).
   */
  public Outcome destination(Channel client, Forward f, InetAddress address) {
    ClientSession session = ClientSession.of(client);
    if (session == null) {
      s.metrics().failClosed();
      return new Answer(s.pages().error(ErrorPage.NOT_A_CLIENT, f.head(), false));
    }
    Destination d = s.destinations().check(f.decided().snapshot(),
        f.decided().decision().group(), f.host(), f.port(), address, session.client.getAddress());
    if (d instanceof Destination.Refused refused) {
      ExchangeFacts.refused(f.exchange(), f.decided(), refused.decision());
      return new Answer(s.pages().error(ErrorPage.INTERNAL_DESTINATION, f.head(), f.keepAlive()));
    }
    return f; // the admin origin inside TLS: no headers can be added by address alone
  }
}
