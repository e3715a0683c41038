package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.schoolgate.identity.Who;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.identity.Identities;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.BlockNotice;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.safesearch.SafeSearchRewrite;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.site.ProxySite;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request into its {@link Outcome}: begins the request's access-log exchange, asks
 * {@link RequestDecider} (the one place that decides), counts the decision, and prepares what
 * acting needs: the block or error page, the Host header set to the decided host (RFC 9112
 * 3.2.2: no fronting through another Host), SafeSearch's rewrite and safe address, the tunnel's
 * target for the ClientHello checks. An allowed request whose host is a cloud metadata name is
 * refused here, before any lookup ({@link DestinationCheck}); its address is checked once DNS
 * answered, by whoever connects. Runs on the client's event loop and never blocks it.
 *
 * <p>Identification comes first ({@link #identify}: the policy snapshot is read once, and the
 * answer is a future the front waits for without blocking, as it waits for DNS); the decision is
 * then made for that person under that same snapshot. A request whose network asks for sign-in
 * and gets no person is answered here: 407 with {@code Proxy-Authenticate}, or 503 (fail closed).
 */
public final class Decisions {
  private static final Logger log = LoggerFactory.getLogger(Decisions.class);
  /** The access log's {@code auth} words, made once (no string per request). */
  private static final String[] AUTH_NAMES = java.util.Arrays.stream(
      org.schoolgate.identity.AuthMethod.values()).map(org.schoolgate.identity.AuthMethod::logName)
      .toArray(String[]::new);
  /** The answer of {@link #identify} when no policy is loaded: the decision fails closed. */
  private static final CompletableFuture<Who> NO_POLICY = CompletableFuture.completedFuture(
      new Who.Unavailable("no policy is loaded"));
  private final RequestDecider decider;
  private final Pages pages;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final DestinationCheck destinations;
  private final Identities identities;
  private final SignInLink signInLink;
  private final ProxySite site;

  /**
   * {@code interception}: the proxy can decrypt tunnels, so CONNECTs get the policy's choice;
   * {@code guard}: the destination check of every connection made for a client.
   */
  public Decisions(Supplier<PolicySnapshot> policy, Pages pages, ProxyMetrics metrics, Clock clock,
      boolean interception, DestinationGuard guard) {
    this(policy, pages, metrics, clock, interception, guard, new Identities(null));
  }

  /** {@code identities}: who is behind each request (sign-in, address bindings, subnet). */
  public Decisions(Supplier<PolicySnapshot> policy, Pages pages, ProxyMetrics metrics, Clock clock,
      boolean interception, DestinationGuard guard, Identities identities) {
    this(policy, pages, metrics, clock, interception, guard, identities,
        new ProxySite(PacSettings.DEFAULTS, null, 0));
  }

  /** {@code site}: the proxy's own pages (PAC file, CA download) on the proxy port. */
  public Decisions(Supplier<PolicySnapshot> policy, Pages pages, ProxyMetrics metrics, Clock clock,
      boolean interception, DestinationGuard guard, Identities identities, ProxySite site) {
    this(new RequestDecider(policy, metrics, interception, guard), pages, metrics, clock,
        new DestinationCheck(guard), identities, new SignInLink(pages.signInUrl(),
            guard == null ? null : guard.proxyKey(), clock), site);
  }

  Decisions(RequestDecider decider, Pages pages, ProxyMetrics metrics, Clock clock,
      DestinationCheck destinations, Identities identities) {
    this(decider, pages, metrics, clock, destinations, identities,
        new SignInLink(pages.signInUrl(), null, clock));
  }

  Decisions(RequestDecider decider, Pages pages, ProxyMetrics metrics, Clock clock,
      DestinationCheck destinations, Identities identities, SignInLink signInLink) {
    this(decider, pages, metrics, clock, destinations, identities, signInLink,
        new ProxySite(PacSettings.DEFAULTS, null, 0));
  }

  private Decisions(RequestDecider decider, Pages pages, ProxyMetrics metrics, Clock clock,
      DestinationCheck destinations, Identities identities, SignInLink signInLink, ProxySite site) {
    this.signInLink = signInLink;
    this.decider = decider;
    this.pages = pages;
    this.metrics = metrics;
    this.clock = clock;
    this.destinations = destinations;
    this.identities = identities;
    this.site = site;
  }

  /**
   * Who is behind {@code request} ({@code intercepted}: read inside an intercepted tunnel): reads
   * the policy snapshot the request will be decided with (kept in the session until
   * {@link #decide}), removes {@code Proxy-Authorization}, and answers at once when nothing needs
   * the directory; otherwise the future completes off the loop and the caller resumes on its own
   * loop. Never completes exceptionally.
   */
  public CompletableFuture<Who> identify(ClientSession session, HttpRequest request,
      boolean intercepted) {
    PolicySnapshot snapshot;
    try {
      snapshot = decider.policy();
    } catch (RuntimeException e) {
      log.warn("reading the policy failed; the request is blocked (fail closed)", e);
      snapshot = null;
    }
    session.policy = snapshot;
    if (snapshot == null) {
      request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
      return NO_POLICY; // decided (fail closed) without anybody
    }
    try {
      return identities.identify(session.identity, snapshot, session.client.getAddress(), request,
          intercepted, session.listener.transparent());
    } catch (RuntimeException e) {
      // the policy's network look-up failed: nobody is known, and nobody is let through
      log.warn("identifying a client of {} failed; answered 503 (fail closed)",
          session.clientIp, e);
      return CompletableFuture.completedFuture(
          new Who.Unavailable("the web filter could not tell who you are"));
    }
  }

  /** The destination check on the address, once DNS answered (callers act on its result). */
  public DestinationCheck destinations() {
    return destinations;
  }

  /**
   * A request read from a proxy client (absolute-form HTTP, or CONNECT), for {@code who}
   * ({@link #identify}); on the proxy port and the page listener, an origin-form request for the
   * proxy's own site (PAC file, CA download) is answered with it; a redirected origin-form
   * request (transparent HTTP, the page listener) is decided on its {@code Host} ({@link
   * OriginForm}); the page listener forwards nothing.
   */
  public Outcome decide(ClientSession session, HttpRequest request, Who who) {
    boolean head = HttpMethod.HEAD.equals(request.method());
    boolean connect = HttpMethod.CONNECT.equals(request.method());
    Instant at = clock.instant();
    Exchange exchange = begin(session, at, who);
    PolicySnapshot snapshot = session.policy;
    session.policy = null;
    ClientSession.Listener listener = session.listener;
    if (!connect && listener != ClientSession.Listener.TRANSPARENT_TLS) {
      if (listener != ClientSession.Listener.TRANSPARENT_HTTP && site.serves(request)) {
        return ownPage(session, request, exchange);
      }
      if (listener != ClientSession.Listener.PROXY) {
        OriginForm.toAbsolute(request, session.original);
      }
    }
    Outcome outcome = decided(session, request, who, exchange, snapshot, head, connect, at);
    if (listener == ClientSession.Listener.PAGES && !(outcome instanceof Outcome.Answer)) {
      // the resolver sent this name here because it was blocked when asked; it is not now
      return new Outcome.Answer(pages.error(ErrorPage.NOT_BLOCKED_NOW, head, false));
    }
    return outcome;
  }

  private Outcome decided(ClientSession session, HttpRequest request, Who who, Exchange exchange,
      PolicySnapshot snapshot, boolean head, boolean connect, Instant at) {
    Verdict verdict = decider.decide(request, snapshot, who, session.client.getAddress(), at);
    Outcome refused = refused(session, verdict, exchange, request, null, 0, head);
    if (refused != null) {
      return refused;
    }
    Verdict.Decided decided = (Verdict.Decided) verdict;
    Decision d = decided.decision();
    ExchangeFacts.describe(exchange, request, decided.target(), connect);
    ExchangeFacts.decided(exchange, decided);
    metrics.request(d.action(), d.level(), d.group());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ParsedUrl target = decided.target();
    if (connect) {
      // the page listener's TLS port decrypts whatever it is asked for, to answer with a page
      boolean pagesTls = session.listener == ClientSession.Listener.PAGES_TLS;
      boolean intercept = pagesTls || decided.intercept().intercept();
      if (d.blocked() && !intercept) {
        return new Outcome.Answer(pages.blockedConnect(target.host(), d, keepAlive));
      }
      TunnelTarget t = new TunnelTarget(d.group(), decided.user(), target.host(), target.port(),
          session.client.getAddress(), exchange, decided.zone(),
          pagesTls ? InterceptChoice.BLOCKED : decided.intercept());
      if (intercept) {
        return new Outcome.Intercept(t); // each request inside is checked on its own
      }
      if (destinations.name(session, decided, exchange) instanceof Destination.Refused r) {
        return new Outcome.Answer(pages.blockedConnect(target.host(), r.decision(), keepAlive));
      }
      safeSearch(exchange, decided, null, true);
      return new Outcome.Tunnel(t, decided.dialHost(), decided.snapshot());
    }
    if (d.blocked()) {
      return new Outcome.Answer(pages.block(new BlockNotice(target.host(), ExchangeFacts.url(target),
          d, at.atZone(decided.zone()), decided.user()), head, keepAlive));
    }
    return forward(session, request, decided, exchange, head, keepAlive);
  }

  /**
   * A request read inside an intercepted tunnel to {@code host:port}: decided on
   * {@code https://host[:port]/path?query} like plain HTTP (paths and {@code urls} lists apply).
   */
  public Outcome decideIntercepted(ClientSession session, HttpRequest request, Who who,
      String host, int port) {
    boolean head = HttpMethod.HEAD.equals(request.method());
    Instant at = clock.instant();
    Exchange exchange = begin(session, at, who);
    PolicySnapshot snapshot = session.policy;
    session.policy = null;
    Verdict verdict = decider.decideIntercepted(request, host, port, snapshot, who,
        session.client.getAddress(), at);
    Outcome refused = refused(session, verdict, exchange, request, host, port, head);
    if (refused != null) {
      return refused;
    }
    Verdict.Decided decided = (Verdict.Decided) verdict;
    Decision d = decided.decision();
    ParsedUrl target = decided.target();
    ExchangeFacts.describe(exchange, request, target, false);
    ExchangeFacts.decided(exchange, decided);
    metrics.request(d.action(), d.level(), d.group());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (d.blocked()) {
      return new Outcome.Answer(pages.block(new BlockNotice(target.host(), ExchangeFacts.url(target),
          d, at.atZone(decided.zone()), decided.user()), head, keepAlive));
    }
    if (session.listener == ClientSession.Listener.PAGES_TLS) {
      return new Outcome.Answer(pages.error(ErrorPage.NOT_BLOCKED_NOW, head, false));
    }
    return forward(session, request, decided, exchange, head, keepAlive);
  }

  /**
   * An allowed request: a metadata name is refused (403 page); otherwise the Host header is set
   * to the decided host (RFC 9112 3.2.2: no fronting through another Host), SafeSearch rewrites
   * and records, and the request goes on to be resolved, checked and sent.
   */
  private Outcome forward(ClientSession session, HttpRequest request, Verdict.Decided decided,
      Exchange exchange, boolean head, boolean keepAlive) {
    if (destinations.name(session, decided, exchange) instanceof Destination.Refused) {
      return new Outcome.Answer(pages.error(ErrorPage.INTERNAL_DESTINATION, head, keepAlive));
    }
    ParsedUrl target = decided.target();
    request.headers().set(HttpHeaderNames.HOST, ExchangeFacts.authority(target));
    safeSearch(exchange, decided, request, false);
    return new Outcome.Forward(target.host(), target.port(), decided.dialHost(), decided,
        exchange);
  }

  /**
   * A page of the proxy's own site: answered whoever asks (it holds nothing private), logged as
   * action {@code allow}, rule {@code proxy-page}.
   */
  private Outcome ownPage(ClientSession session, HttpRequest request, Exchange exchange) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    InetSocketAddress local = session.local != null ? session.local
        : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    exchange.request(request.method().name(), "http", local.getAddress().getHostAddress(),
        local.getPort(), q < 0 ? uri : uri.substring(0, q), null);
    exchange.decision("allow", null, "proxy-page", "the web filter's own "
        + ProxySite.kind(request) + " page", List.of(), ZoneOffset.UTC);
    return new Outcome.Answer(site.answer(request, local, HttpUtil.isKeepAlive(request)));
  }

  /**
   * The block page for the response to {@code f} that content analysis blocked ({@code theme},
   * or {@code failure} when analysis failed for a group with block rules); the exchange's access
   * line becomes a block by rule {@code content:<theme>}.
   */
  public io.netty.handler.codec.http.FullHttpResponse contentBlocked(Outcome.Forward f, String theme,
      String reason, boolean keepAlive) {
    Decision d = f.decision();
    markContentBlock(f, theme, reason);
    return pages.contentBlock(new BlockNotice(f.host(), f.url(), d, clock.instant().atZone(f.decided().zone()),
        f.decided().user()), theme, reason, keepAlive);
  }

  /** The exchange of {@code f} was blocked or cut by content analysis: its access line says so. */
  public void markContentBlock(Outcome.Forward f, String theme, String reason) {
    Decision d = f.decision();
    List<String> names = new java.util.ArrayList<>(d.categories().categories().size());
    d.categories().categories().forEach(c -> names.add(c.value()));
    f.exchange().decision("block", d.level().configName(), "content:" + theme, reason, names,
        f.decided().zone());
  }

  /**
   * The block page for a download of a kind {@code f}'s group may not have (answered before any
   * of the file was sent), its access line marked ({@code rule} {@code download:<kind>}).
   */
  public io.netty.handler.codec.http.FullHttpResponse downloadBlocked(Outcome.Forward f,
      org.schoolgate.policy.download.DownloadDecision.Block b, boolean keepAlive) {
    Decision d = f.decision();
    List<String> names = new java.util.ArrayList<>(d.categories().categories().size());
    d.categories().categories().forEach(c -> names.add(c.value()));
    f.exchange().decision("block", d.level().configName(), b.rule(), b.reason(), names, f.decided().zone());
    f.exchange().download(new org.schoolgate.proxy.log.DownloadNote("block", b.file().kind().configName(),
        b.file().evidence().logName(), b.file().detail(), null));
    return pages.downloadBlock(new BlockNotice(f.host(), f.url(), d, clock.instant().atZone(f.decided().zone()),
        f.decided().user()), b.file().kind().configName(), b.reason(), keepAlive);
  }

  /** A download of a blocked kind let through because the site is covered: its access line says so. */
  public void downloadLifted(Outcome.Forward f, org.schoolgate.policy.download.DownloadDecision.Lifted l) {
    f.exchange().download(new org.schoolgate.proxy.log.DownloadNote("allow", l.file().kind().configName(),
        l.file().evidence().logName(), l.file().detail(), l.by().rule().logName()));
  }

  /**
   * Logs a request the codec refused ({@code rule: malformed-request}, the page's status) and
   * counts it; the caller answers {@code page} and closes the connection.
   */
  public void rejected(ClientSession session, ErrorPage page, Rejection rejection, String detail) {
    metrics.rejected(rejection);
    Exchange exchange = begin(session, clock.instant(), null);
    exchange.decision("reject", null, "malformed-request", detail, List.of(), ZoneOffset.UTC);
  }

  private Exchange begin(ClientSession session, Instant at, Who who) {
    Exchange exchange = new Exchange(at, System.nanoTime(), session.clientIp);
    if (session.dst != null) {
      exchange.destination(session.dst);
    }
    if (who instanceof Who.Known known) {
      exchange.auth(AUTH_NAMES[known.method().ordinal()]);
    } else if (who instanceof Who.SignInPage page) {
      exchange.auth(AUTH_NAMES[page.beforeSigningIn().method().ordinal()]);
    }
    session.exchanges.begin(exchange);
    return exchange;
  }

  /** The page for a request that got no policy decision, or null when it was decided. */
  private Outcome refused(ClientSession session, Verdict verdict, Exchange exchange,
      HttpRequest request, String host, int port, boolean head) {
    if (verdict instanceof Verdict.BadTarget bad) {
      exchange.request(request.method().name(), host == null ? null : "https", host, port,
          request.uri(), null);
      exchange.decision("reject", null, "bad-request", bad.detail(), List.of(), ZoneOffset.UTC);
      metrics.rejected(Rejection.BAD_REQUEST);
      return new Outcome.Answer(pages.error(ErrorPage.BAD_REQUEST, head,
          host != null && HttpUtil.isKeepAlive(request)));
    }
    if (verdict instanceof Verdict.NotSignedIn n) {
      return NotSignedIn.answer(n, exchange, request, pages, metrics, head,
          signInLink, session.client.getAddress(), session.listener.transparent());
    }
    if (verdict instanceof Verdict.Refused r) {
      ExchangeFacts.describe(exchange, request, r.target(), r.connect());
      exchange.decision("reject", null, "not-a-client", r.reason(), List.of(), r.zone());
      metrics.rejected(Rejection.NOT_A_CLIENT);
      return new Outcome.Answer(pages.error(ErrorPage.NOT_A_CLIENT, head, false));
    }
    return null;
  }

  /** Records and counts SafeSearch for an allowed request; rewrites plain HTTP requests. */
  private void safeSearch(Exchange exchange, Verdict.Decided decided, HttpRequest request,
      boolean tunnel) {
    String safeHost = decided.safeHost();
    if (safeHost == null) {
      return;
    }
    // the site's own name stays in the request and the TLS; only the address is the safe host's
    exchange.safeSearch(safeHost);
    metrics.safeSearch(SafeSearchRewrite.target(safeHost), tunnel);
    if (request != null) {
      SafeSearchRewrite.applyHttp(request, decided.target().path(), safeHost);
    }
  }
}
