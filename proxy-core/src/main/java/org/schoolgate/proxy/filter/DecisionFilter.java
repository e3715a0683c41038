package org.schoolgate.proxy.filter;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.proxy.destination.AdminForwarding;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.dns.DnsPending;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.BlockNotice;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.pages.PageResponse;
import org.schoolgate.proxy.safesearch.SafeSearchRewrite;
import org.schoolgate.proxy.tls.TunnelTarget;

/**
 * Acts on the decision for one request (LittleProxy makes one filter per request): allow →
 * continue (after the DNS gate warmed the cache); block → block page; refused client → 403;
 * unparseable target → 400. Also pins the upstream address to the host that was decided, once the
 * destination guard passed it (a refused address → 403, rule {@code internal-destination}), and
 * replaces LittleProxy's bare 400/502/504 bodies with Schoolgate pages. For a group held to a
 * site's safe variant ({@code safesearch:}) the connection goes to the safe host's address
 * instead (the TLS stays end to end), and plain HTTP gets the site's safe parameter or header.
 *
 * <p>Request hooks run on the client's event loop; response and upstream hooks may run on the
 * upstream connection's loop, hence the volatile fields.
 */
final class DecisionFilter extends HttpFiltersAdapter {
  private final FilterServices s;
  private final ClientSession session;
  private volatile boolean head;
  private volatile boolean connect;
  private volatile InetSocketAddress pinned;
  private volatile boolean dnsFailed;
  private volatile boolean fromOrigin;
  private volatile long connectStartNanos;

  DecisionFilter(HttpRequest request, ChannelHandlerContext ctx, FilterServices s,
      ClientSession session) {
    super(request, ctx);
    this.s = s;
    this.session = session;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (!(httpObject instanceof HttpRequest request)) {
      return null;
    }
    head = HttpMethod.HEAD.equals(request.method());
    connect = HttpMethod.CONNECT.equals(request.method());
    ClientSession.Pending pending = session.pending;
    if (pending != null && pending.request() == request) {
      session.pending = null; // replayed by the DNS gate: decided already
      Verdict.Decided v = pending.verdict();
      DnsAnswer answer = s.dns().peek(v.dialHost());
      return connectTo(request, v, pending.exchange(), answer, HttpUtil.isKeepAlive(request));
    }
    Instant at = s.clock().instant();
    Exchange exchange = new Exchange(at, System.nanoTime(), session.clientIp);
    session.exchanges.begin(exchange);
    Verdict verdict = s.decider().decide(request, session.identity, session.client.getAddress(), at);
    if (verdict instanceof Verdict.BadTarget bad) {
      exchange.request(request.method().name(), null, null, 0, request.uri(), null);
      exchange.decision("reject", null, "bad-request", bad.detail(), List.of(), ZoneOffset.UTC);
      s.metrics().rejected(Rejection.BAD_REQUEST);
      return s.pages().error(ErrorPage.BAD_REQUEST, head, false);
    }
    if (verdict instanceof Verdict.Refused refused) {
      ExchangeFacts.describe(exchange, request, refused.target(), refused.connect());
      exchange.decision("reject", null, "not-a-client", refused.reason(),
          List.of(), refused.zone());
      s.metrics().rejected(Rejection.NOT_A_CLIENT);
      return s.pages().error(ErrorPage.NOT_A_CLIENT, head, false);
    }
    Verdict.Decided decided = (Verdict.Decided) verdict;
    Decision d = decided.decision();
    ExchangeFacts.describe(exchange, request, decided.target(), connect);
    ExchangeFacts.decided(exchange, decided);
    s.metrics().request(d.action(), d.level(), d.group());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ParsedUrl target = decided.target();
    boolean intercept = connect && decided.intercept().intercept();
    if (d.blocked() && !intercept) {
      String site = target.host();
      return connect ? s.pages().blockedConnect(site, d, keepAlive)
          : s.pages().block(new BlockNotice(site, ExchangeFacts.url(target), d,
              at.atZone(decided.zone())), head, keepAlive);
    }
    if (!intercept) {
      // a cloud metadata name is refused before any lookup, whatever it would resolve to
      Destination named = s.destinations().checkName(decided.snapshot(), d.group(), target.host(),
          session.client.getAddress());
      if (named instanceof Destination.Refused refused) {
        return refuse(request, decided, exchange, refused, keepAlive);
      }
    }
    if (connect) {
      session.inspector.arm(new TunnelTarget(d.group(), decided.user(), target.host(), target.port(),
          session.client.getAddress(), exchange, decided.zone(), decided.intercept()));
      if (intercept) {
        // LittleProxy never connects upstream: the proxy answers the CONNECT itself and the
        // tunnel inspector hands the connection to the interception path (proxy.intercept)
        return s.pages().connectEstablished();
      }
    } else {
      // RFC 9112 3.2.2: a proxy replaces Host with the request-target's authority, so the
      // origin serves the site that was decided (no fronting through a different Host)
      request.headers().set(HttpHeaderNames.HOST, ExchangeFacts.authority(target));
    }
    String safeHost = decided.safeHost();
    if (safeHost != null) {
      // the site's own name stays in the request and the TLS; only the address is the safe host's
      exchange.safeSearch(safeHost);
      s.metrics().safeSearch(SafeSearchRewrite.target(safeHost), connect);
      if (!connect) {
        SafeSearchRewrite.applyHttp(request, target.path(), safeHost);
      }
    }
    String dialHost = decided.dialHost();
    DnsAnswer answer = s.dns().peekCounted(dialHost);
    if (answer == null) {
      CompletableFuture<DnsAnswer> resolution = s.dns().resolve(dialHost);
      session.pending = new ClientSession.Pending(request, decided, exchange);
      session.gate.hold(request, resolution);
      return new DnsPending();
    }
    return connectTo(request, decided, exchange, answer, keepAlive);
  }

  /**
   * The one hook where the address LittleProxy will connect to is known (the DNS answer for the
   * dial host: the site's, or its SafeSearch variant's): a name that did not resolve gets the DNS
   * error page here (LittleProxy never resolves anything itself); the address is checked by the
   * destination guard (refused → 403 page); the school's admin origin gets the forwarding
   * headers; otherwise the address is pinned and LittleProxy connects to exactly it. Null means
   * continue (LittleProxy's filter contract).
   */
  private HttpResponse connectTo(HttpRequest request, Verdict.Decided v, Exchange exchange,
      DnsAnswer answer, boolean keepAlive) {
    if (!(answer instanceof DnsAnswer.Resolved resolved)) {
      pinned = null;
      s.metrics().upstreamError(UpstreamError.DNS);
      return s.pages().error(ErrorPage.DNS_FAILED, head, keepAlive);
    }
    ParsedUrl target = v.target();
    Destination destination = s.destinations().check(v.snapshot(), v.decision().group(),
        target.host(), target.port(), resolved.address(), session.client.getAddress());
    if (destination instanceof Destination.Refused refused) {
      pinned = null;
      return refuse(request, v, exchange, refused, keepAlive);
    }
    if (destination instanceof Destination.AdminOrigin && !connect) {
      AdminForwarding.apply(request.headers(), session.client.getAddress(),
          s.destinations().proxyKey());
    }
    pinned = new InetSocketAddress(resolved.address(), target.port());
    return null;
  }

  /** The 403 for a refused destination, written to the access log as the request's decision. */
  private HttpResponse refuse(HttpRequest request, Verdict.Decided v, Exchange exchange,
      Destination.Refused refused, boolean keepAlive) {
    ExchangeFacts.refused(exchange, v, refused.decision());
    return connect ? s.pages().blockedConnect(v.target().host(), refused.decision(), keepAlive)
        : s.pages().error(ErrorPage.INTERNAL_DESTINATION, head, keepAlive);
  }

  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String hostAndPort) {
    // connect to the address that was checked; every decided request that goes on pins one, so
    // the cache-only resolver (which refuses) is never the one to answer
    return pinned;
  }

  @Override
  public void proxyToServerResolutionFailed(String hostAndPort) {
    dnsFailed = true;
  }

  @Override
  public void proxyToServerConnectionStarted() {
    connectStartNanos = System.nanoTime();
    if (!connect && ctx != null && ctx.executor().inEventLoop()) {
      session.gate.park(); // body chunks wait in the gate, not in LittleProxy's wait()
    }
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    session.gate.unpark();
  }

  @Override
  public void proxyToServerConnectionFailed() {
    session.gate.unpark();
  }

  @Override
  public HttpObject serverToProxyResponse(HttpObject httpObject) {
    if (httpObject instanceof HttpResponse) {
      fromOrigin = true;
    }
    return httpObject;
  }

  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    if (!(httpObject instanceof HttpResponse response)
        || httpObject instanceof PageResponse || httpObject instanceof DnsPending) {
      return httpObject;
    }
    if (fromOrigin) {
      fromOrigin = false;
      return httpObject;
    }
    ErrorPage page = ourPageFor(response.status().code());
    if (page == null) {
      return httpObject;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(response);
    ReferenceCountUtil.release(response);
    return s.pages().error(page, head, keepAlive);
  }

  /** LittleProxy's own 400/502/504 → our page; counts upstream errors. */
  private ErrorPage ourPageFor(int status) {
    switch (status) {
      case 400:
        return ErrorPage.BAD_REQUEST;
      case 502:
        if (dnsFailed) {
          s.metrics().upstreamError(UpstreamError.DNS);
          return ErrorPage.DNS_FAILED;
        }
        if (connectTimedOut()) {
          s.metrics().upstreamError(UpstreamError.TIMEOUT);
          return ErrorPage.UPSTREAM_TIMEOUT;
        }
        s.metrics().upstreamError(UpstreamError.CONNECT);
        return ErrorPage.UPSTREAM_UNREACHABLE;
      case 504:
        s.metrics().upstreamError(UpstreamError.TIMEOUT);
        return ErrorPage.UPSTREAM_TIMEOUT;
      default:
        return null;
    }
  }

  /**
   * LittleProxy reports a connect timeout as a plain failure (and writes its 502 before telling
   * the filter), so a failure that took about the whole connect timeout is taken as a timeout.
   */
  private boolean connectTimedOut() {
    long started = connectStartNanos;
    return started != 0
        && System.nanoTime() - started >= s.connectTimeout().toNanos() * 9 / 10;
  }
}
