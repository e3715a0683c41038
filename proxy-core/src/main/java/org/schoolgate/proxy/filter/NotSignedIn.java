package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.util.List;
import org.schoolgate.identity.Who;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.Pages;

/**
 * The answer to a request whose network asks who is behind it when no person came of it: 407
 * with one {@code Proxy-Authenticate} per scheme the network offers (no credentials, wrong ones,
 * unreadable ones, too many attempts), or 503 when sign-in is required and nobody can check it
 * now — fail closed, never the subnet's group. A client whose connection was redirected to the
 * proxy (transparent mode, the page listener) is never sent a 407: it gets the 511 page that
 * says to sign in on the school's sign-in page first (its address is then bound to the person). The connection stays open after a 407 (a Negotiate
 * handshake continues on it). The access log records the refusal ({@code action: reject}, rule
 * {@code sign-in-required} or {@code identity-unavailable}, the reason) and the metric counts it.
 *
 * <p>On a network whose sign-in page is required ({@link Who.SignInPage}) there is no 407 (a
 * personal device's browser may never show a proxy sign-in box): a plain HTTP request is sent to
 * the sign-in page (302, with the proxy's {@link SignInLink ticket} for the client's address and
 * the page asked for), a CONNECT is refused with a short plain-text 403 that names the page (rule
 * {@code sign-in-page}). Any other method (a form's POST) is not redirected — a 302 would turn it
 * into a GET and lose what was typed — but refused: a browser (Accept names text/html) gets a 403
 * page with a link to the sign-in page (back to the form's page, its Referer, afterwards), any
 * other client the plain-text 403.
 */
final class NotSignedIn {
  private NotSignedIn() {}

  static Outcome.Answer answer(Verdict.NotSignedIn n, Exchange exchange, HttpRequest request,
      Pages pages, ProxyMetrics metrics, boolean head, SignInLink signIn, InetAddress client,
      boolean transparent) {
    ExchangeFacts.describe(exchange, request, n.target(), n.connect());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (n.who() instanceof Who.SignInPage page) {
      metrics.rejected(Rejection.SIGN_IN_PAGE);
      exchange.decision("reject", null, "sign-in-page", page.reason(), List.of(), n.zone());
      if (n.connect()) {
        return new Outcome.Answer(pages.connectSignInFirst(signIn.page(), page.reason(), keepAlive));
      }
      if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
        return new Outcome.Answer(wantsHtml(request)
            ? pages.signInBeforeSending(signIn.link(client, backTo(request, n)), page.reason(), keepAlive)
            : pages.connectSignInFirst(signIn.page(), page.reason(), keepAlive));
      }
      return new Outcome.Answer(pages.signInRedirect(signIn.link(client, ExchangeFacts.url(n.target())), head,
          keepAlive));
    }
    if (n.who() instanceof Who.Challenge c) {
      exchange.decision("reject", null, "sign-in-required", c.reason(), List.of(), n.zone());
      metrics.rejected(Rejection.SIGN_IN_REQUIRED);
      // a redirected client does not know it talks to a proxy: a 407 would mean nothing to it
      return new Outcome.Answer(transparent ? pages.signInFirst(c.reason(), head, keepAlive)
          : pages.signIn(c.schemes(), c.reason(), head, keepAlive));
    }
    String reason = ((Who.Unavailable) n.who()).reason();
    exchange.decision("reject", null, "identity-unavailable", reason, List.of(), n.zone());
    metrics.rejected(Rejection.IDENTITY_UNAVAILABLE);
    return new Outcome.Answer(pages.identityUnavailable(reason, head, keepAlive));
  }

  /** A browser navigating (a form post): its Accept names HTML. */
  private static boolean wantsHtml(HttpRequest request) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
  }

  /** Where to go after signing in: the page the form was on (its Referer, http or https), else the target. */
  private static String backTo(HttpRequest request, Verdict.NotSignedIn n) {
    String referer = request.headers().get(HttpHeaderNames.REFERER);
    if (referer != null && referer.length() <= 2000
        && (referer.regionMatches(true, 0, "http://", 0, 7) || referer.regionMatches(true, 0, "https://", 0, 8))) {
      return referer;
    }
    return ExchangeFacts.url(n.target());
  }
}
