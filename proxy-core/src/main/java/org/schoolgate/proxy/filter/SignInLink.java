package org.schoolgate.proxy.filter;

import java.net.InetAddress;
import java.time.Clock;
import org.schoolgate.identity.portal.SignInTicket;

/**
 * Where a client that must use the sign-in page is sent: the admin server's {@code /sign-in}
 * with the page it asked for ({@code return}) and, when the proxy has its per-process key, a
 * {@link SignInTicket} for the client's address — the page is served over HTTPS, which a personal
 * device reaches through a tunnel the proxy does not open, so the admin server would otherwise
 * see the proxy's address and not the device's. Made only for clients that are not signed in.
 */
final class SignInLink {
  private final String page;
  private final String key;
  private final Clock clock;

  /** {@code key} null: no ticket (the page binds the address it sees). */
  SignInLink(String page, String key, Clock clock) {
    this.page = page;
    this.key = key;
    this.clock = clock;
  }

  /** The sign-in page's own address, for the 403 that names it. */
  String page() {
    return page;
  }

  /** {@code <page>?return=<url>[&ticket=<ticket>]} for {@code client}, which asked for {@code url}. */
  String link(InetAddress client, String url) {
    String link = page + "?return=" + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8);
    return key == null ? link : link + "&ticket=" + SignInTicket.issue(key, client, clock.instant());
  }
}
