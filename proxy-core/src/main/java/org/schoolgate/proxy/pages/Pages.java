package org.schoolgate.proxy.pages;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.model.NetworkConfig;

/**
 * Block and error pages. Templates are loaded and parsed once; the error pages are rendered once
 * into unreleasable buffers and served as duplicates, so serving one costs a response object and
 * its headers. Block pages are rendered per request from the parsed template (every value
 * HTML-escaped), straight into a heap buffer: the literal text is UTF-8 once, the values go in
 * by position, and the time text is formatted once a minute.
 *
 * <p>Bodies are unpooled: unreleasable read-only buffers for the prebuilt pages (each answer is
 * a duplicate), heap buffers for block pages.
 *
 * <pre>{@code
 * Pages pages = new Pages("https://filter.school.example/request");
 * FullHttpResponse page = pages.block(notice, false, true);
 * }</pre>
 */
public final class Pages {
  private static final String HTML = "text/html; charset=utf-8";
  /**
   * Every page is static HTML with inline styles and links: no scripts, frames, forms, images or
   * connections (as strict as the admin API's request-access page, which needs its one script).
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline';"
      + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.UK);

  /** The report page's path beside the request-access page on the admin API's public URL. */
  static final String REPORT_SITE_PAGE = "report-site";
  /** The device sign-in page's path beside the request-access page (guests, personal devices; the console's own sign-in is /sign-in). */
  static final String SIGN_IN_PAGE = "device-sign-in";

  private final String requestAccessUrl;
  private final String reportSiteUrl;
  private final String signInUrl;
  /** The realm in {@code Proxy-Authenticate: Basic}: what browsers show in their sign-in box. */
  static final String REALM = "School web filter";
  private final Template error;
  private final Template.Bound blockBound;
  private volatile MinuteText lastMinute;
  /** The block template's slots, in the order of the values {@link #blockPage} takes. */
  private static final String[] BLOCK_SLOTS = {"site", "categories", "level", "rule", "reason",
      "group", "who", "time", "requestUrl", "reportUrl"};
  private static final int SITE = 0;
  private static final int CATEGORIES = 1;
  private static final int LEVEL = 2;
  private static final int RULE = 3;
  private static final int REASON = 4;
  private static final int GROUP = 5;
  private static final int WHO = 6;
  private static final int TIME_SLOT = 7;
  private static final int REQUEST_URL = 8;
  private static final int REPORT_URL = 9;
  private final Template signInFirst;
  private final Map<ErrorPage, ByteBuf> errors = new EnumMap<>(ErrorPage.class);

  public Pages(String requestAccessUrl) {
    this.requestAccessUrl = Objects.requireNonNull(requestAccessUrl, "requestAccessUrl");
    this.reportSiteUrl = java.net.URI.create(requestAccessUrl).resolve(REPORT_SITE_PAGE).toString();
    this.signInUrl = java.net.URI.create(requestAccessUrl).resolve(SIGN_IN_PAGE).toString();
    this.blockBound = Template.load("block.html").bind(BLOCK_SLOTS);
    this.error = Template.load("error.html");
    this.signInFirst = Template.load("sign-in-first.html");
    for (ErrorPage page : ErrorPage.values()) {
      String html = error.render(Map.of(
          "title", page.heading(),
          "status", page.status().code() + " " + page.status().reasonPhrase(),
          "heading", page.heading(),
          "message", page.message(),
          "hint", page.hint()));
      errors.put(page, Unpooled.unreleasableBuffer(
          Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)).asReadOnly()));
    }
  }

  /** The block page for a blocked HTTP request. */
  public FullHttpResponse block(BlockNotice notice, boolean head, boolean keepAlive) {
    Decision d = notice.decision();
    String[] values = new String[BLOCK_SLOTS.length];
    values[SITE] = notice.site();
    values[CATEGORIES] = categories(d);
    values[LEVEL] = d.level().configName();
    values[RULE] = d.ruleText();
    values[REASON] = sentence(d.reason());
    values[GROUP] = d.group().value();
    values[WHO] = who(notice);
    values[TIME_SLOT] = time(notice.at());
    String url = Html.urlEncode(notice.url()); // once for both links
    values[REQUEST_URL] = requestAccessLink(notice, url);
    values[REPORT_URL] = reportLink(notice, url);
    return blockPage(values, head, keepAlive);
  }

  /**
   * The block page for a page content analysis blocked: the site was allowed, what it says was
   * not ({@code rule} {@code content:<theme>}). The request-access link names the theme as the
   * category ({@code content-<theme>}): an approved unblock of the site lifts a content block.
   */
  public FullHttpResponse contentBlock(BlockNotice notice, String theme, String reason, boolean keepAlive) {
    return responseBlock(notice, "what this page says: " + theme, "content", "content:" + theme, "content-" + theme,
        reason, keepAlive);
  }

  /**
   * The block page for a download of a kind the group may not have: the site was allowed, the
   * file was not ({@code rule} {@code download:<kind>}); answered before any of the file was sent.
   * The request-access link names {@code download-<kind>}: an approved unblock of the site lifts it.
   */
  public FullHttpResponse downloadBlock(BlockNotice notice, String kind, String reason, boolean keepAlive) {
    return responseBlock(notice, "a file of this kind: " + kind, "download", "download:" + kind, "download-" + kind,
        reason, keepAlive);
  }

  /** A block decided on the response of an allowed request (its content, its file kind). */
  private FullHttpResponse responseBlock(BlockNotice notice, String what, String level, String rule, String category,
      String reason, boolean keepAlive) {
    Decision d = notice.decision();
    String[] values = new String[BLOCK_SLOTS.length];
    values[SITE] = notice.site();
    values[CATEGORIES] = what;
    values[LEVEL] = level;
    values[RULE] = rule;
    values[REASON] = sentence(reason);
    values[GROUP] = d.group().value();
    values[WHO] = who(notice);
    values[TIME_SLOT] = time(notice.at());
    values[REQUEST_URL] = requestAccessUrl + "?url=" + Html.urlEncode(notice.url()) + "&category="
        + Html.urlEncode(category) + "&group=" + Html.urlEncode(d.group().value());
    values[REPORT_URL] = reportLink(notice);
    return blockPage(values, false, keepAlive);
  }

  /**
   * Renders the block template straight into a heap buffer (no map, no page-sized string and no
   * copy of it; unpooled, so a page an exchange drops unwritten costs no leak); for HEAD only its
   * length is kept.
   */
  private FullHttpResponse blockPage(String[] values, boolean head, boolean keepAlive) {
    ByteBuf body = Unpooled.buffer(blockBound.literalBytes() + 1024);
    blockBound.render(body, values);
    if (head) {
      int length = body.readableBytes();
      FullHttpResponse r = respond(HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER, HTML, false,
          keepAlive);
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
      return r;
    }
    return respond(HttpResponseStatus.FORBIDDEN, body, HTML, false, keepAlive);
  }

  private static String categories(Decision d) {
    List<CategoryId> list = d.categories().categories();
    if (list.isEmpty()) {
      return "none";
    }
    if (list.size() == 1) {
      return list.get(0).value();
    }
    StringBuilder sb = new StringBuilder();
    for (CategoryId c : list) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(c.value());
    }
    return sb.toString();
  }

  private static String who(BlockNotice notice) {
    String group = notice.decision().group().value();
    return notice.user() == null
        ? "not signed in (group " + group + ", from this computer's network)"
        : "signed in as " + notice.user() + " in group " + group;
  }

  /**
   * {@code at} as the page shows it, to the minute: the text of the minute last shown is kept
   * (one immutable holder, swapped without a lock), so a burst of blocks formats the time once.
   */
  private String time(ZonedDateTime at) {
    long minute = Math.floorDiv(at.toEpochSecond(), 60);
    MinuteText last = lastMinute;
    if (last != null && last.minute == minute && last.zone.equals(at.getZone())) {
      return last.text;
    }
    String text = TIME.format(at);
    lastMinute = new MinuteText(minute, at.getZone(), text);
    return text;
  }

  private record MinuteText(long minute, ZoneId zone, String text) {}

  /**
   * 407: sign in to use the proxy. One {@code Proxy-Authenticate} per scheme, in the network's
   * order ({@code Negotiate}, {@code Basic realm="..." charset="UTF-8"}); {@code reason} (no
   * credentials, wrong ones, unreadable, too many attempts) is escaped into the page.
   */
  public FullHttpResponse signIn(List<NetworkConfig.Scheme> schemes, String reason, boolean head,
      boolean keepAlive) {
    String html = error.render(Map.of(
        "title", "Sign in to use the internet",
        "status", "407 Proxy Authentication Required",
        "heading", "Sign in to use the internet",
        "message", "The school's web filter needs to know who you are: " + reason + ".",
        "hint", "Sign in with your school user name and password when your browser asks. If it"
            + " does not ask, or keeps asking, tell your teacher or the IT team."));
    FullHttpResponse r = respond(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
        Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)), HTML, head, keepAlive);
    for (NetworkConfig.Scheme scheme : schemes) {
      r.headers().add(HttpHeaderNames.PROXY_AUTHENTICATE, scheme == NetworkConfig.Scheme.BASIC
          ? "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"" : scheme.httpName());
    }
    return r;
  }

  /**
   * 511 for a client whose traffic reaches the filter without a proxy setting (transparent mode):
   * it cannot answer a 407, so the page says to sign in on the school's sign-in page (or the
   * school computer's logon), which binds this address to the person.
   */
  public FullHttpResponse signInFirst(String reason, boolean head, boolean keepAlive) {
    String html = error.render(Map.of(
        "title", "Sign in to use the internet",
        "status", "511 Network Authentication Required",
        "heading", "Sign in to use the internet",
        "message", "The school's web filter needs to know who you are before this device can use"
            + " the internet: " + reason + ".",
        "hint", "Sign in on the school's sign-in page, or log on to a school computer, then try"
            + " again. If you do not know where to sign in, ask your teacher or the IT team."));
    return respond(HttpResponseStatus.NETWORK_AUTHENTICATION_REQUIRED,
        Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)), HTML, head, keepAlive);
  }

  /**
   * 503: sign-in is required here and nobody can check it now (the directory is unreachable,
   * busy or its circuit is open) — the filter fails closed rather than guess a group.
   */
  public FullHttpResponse identityUnavailable(String reason, boolean head, boolean keepAlive) {
    String html = error.render(Map.of(
        "title", "Signing in is not working just now",
        "status", "503 Service Unavailable",
        "heading", "Signing in is not working just now",
        "message", "The school's web filter cannot check who you are at the moment (" + reason
            + "), so it cannot let this page through.",
        "hint", "Try again in a minute. If it keeps happening, tell the IT team: the school's"
            + " directory may be down."));
    FullHttpResponse r = respond(HttpResponseStatus.SERVICE_UNAVAILABLE,
        Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)), HTML, head, keepAlive);
    r.headers().set(HttpHeaderNames.RETRY_AFTER, 30);
    return r;
  }

  /** The sign-in page's address ({@code sign-in} beside the request-access page). */
  public String signInUrl() {
    return signInUrl;
  }

  /**
   * 302 to the sign-in page ({@code location}: its address with the page asked for and the
   * proxy's ticket): a plain HTTP request from a client that must sign in on the page first.
   */
  public FullHttpResponse signInRedirect(String location, boolean head, boolean keepAlive) {
    String html = error.render(Map.of(
        "title", "Sign in to use the internet",
        "status", "302 Found",
        "heading", "Sign in to use the internet",
        "message", "This device must sign in on the school's sign-in page first.",
        "hint", "Your browser should open the sign-in page by itself. If it does not, open " + signInUrl
            + " and sign in with your school account or the guest code you were given."));
    FullHttpResponse r = respond(HttpResponseStatus.FOUND,
        Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)), HTML, head, keepAlive);
    r.headers().set(HttpHeaderNames.LOCATION, location);
    r.headers().set("X-Schoolgate", "sign-in");
    return r;
  }

  /**
   * 403 for a CONNECT (or a request that cannot be redirected) from a client that must sign in
   * on the page first: short plain text naming the page (browsers show no CONNECT bodies; tools do).
   */
  public FullHttpResponse connectSignInFirst(String page, String reason, boolean keepAlive) {
    String text = "Not signed in: " + reason + ". Open " + page + " (or any http:// page) and sign in"
        + " with your school account or guest code, then try again.\n";
    FullHttpResponse r = respond(HttpResponseStatus.FORBIDDEN,
        Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)), "text/plain; charset=utf-8", false, keepAlive);
    r.headers().set("X-Schoolgate", "sign-in");
    return r;
  }

  /**
   * 403 for a browser's POST (or any other method but GET and HEAD) from a device that must sign
   * in on the page first: redirecting it would turn the form into a GET and lose what was typed,
   * so the page says so and links to the sign-in page ({@code link}, with the page to go back to).
   */
  public FullHttpResponse signInBeforeSending(String link, String reason, boolean keepAlive) {
    String html = signInFirst.render(Map.of(
        "title", "Sign in to use the internet",
        "status", "403 Forbidden",
        "heading", "Sign in before sending this",
        "message", "What you sent was not passed on: this device must sign in on the school's sign-in"
            + " page first (" + reason + ").",
        "link", link,
        "linkText", "Open the sign-in page",
        "hint", "After signing in, go back and send it again. You may need to fill in the form again."));
    FullHttpResponse r = respond(HttpResponseStatus.FORBIDDEN,
        Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)), HTML, false, keepAlive);
    r.headers().set("X-Schoolgate", "sign-in");
    return r;
  }

  /** The short plain-text 403 for a blocked CONNECT (browsers do not show CONNECT bodies). */
  public FullHttpResponse blockedConnect(String site, Decision d, boolean keepAlive) {
    String text = "Blocked by the school's web filter: " + site + " ("
        + (d.categories().isEmpty() ? d.rule().logName() : d.categories().joined()) + "). "
        + sentence(d.reason()) + ".\n";
    return respond(HttpResponseStatus.FORBIDDEN,
        Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)),
        "text/plain; charset=utf-8", false, keepAlive);
  }

  /**
   * The proxy's own {@code 200 Connection established} to a CONNECT it takes over (an
   * intercepted tunnel): no body, keep-alive, so the connection stays open for TLS.
   */
  public FullHttpResponse connectEstablished() {
    PageResponse response = new PageResponse(
        new HttpResponseStatus(200, "Connection established"), Unpooled.EMPTY_BUFFER);
    HttpUtil.setKeepAlive(response, true);
    return response;
  }

  /** A prebuilt error page. For HEAD the body is left out but Content-Length kept. */
  public FullHttpResponse error(ErrorPage page, boolean head, boolean keepAlive) {
    return respond(page.status(), errors.get(page).duplicate(), HTML, head, keepAlive);
  }

  /** {@code requestAccessUrl?url=...&category=...&group=...}, URL-encoded. */
  public String requestAccessLink(BlockNotice notice) {
    return requestAccessLink(notice, Html.urlEncode(notice.url()));
  }

  private String requestAccessLink(BlockNotice notice, String encodedUrl) {
    Decision d = notice.decision();
    CategoryId category = d.decidingCategory();
    if (category == null && !d.categories().isEmpty()) {
      category = d.categories().categories().get(0);
    }
    return requestAccessUrl
        + "?url=" + encodedUrl
        + "&category=" + Html.urlEncode(category == null ? "" : category.value())
        + "&group=" + Html.urlEncode(d.group().value());
  }

  /**
   * {@code report-site?kind=wrongly-blocked&url=...&group=...} beside the request-access page
   * (the admin API's public URL): where a pupil or teacher reports the block as a mistake.
   */
  public String reportLink(BlockNotice notice) {
    return reportLink(notice, Html.urlEncode(notice.url()));
  }

  private String reportLink(BlockNotice notice, String encodedUrl) {
    return reportSiteUrl + "?kind=wrongly-blocked&url=" + encodedUrl
        + "&group=" + Html.urlEncode(notice.decision().group().value());
  }

  private static String sentence(String reason) {
    if (reason == null || reason.isBlank()) {
      return "This site is blocked by the school's policy";
    }
    String r = reason.strip();
    if (r.endsWith(".")) {
      r = r.substring(0, r.length() - 1);
    }
    return Character.toUpperCase(r.charAt(0)) + r.substring(1);
  }

  /**
   * A document of the proxy's own small site (the PAC file, the CA download): {@code body} is
   * duplicated, so a prebuilt unreleasable buffer may be passed every time.
   */
  public static FullHttpResponse document(HttpResponseStatus status, ByteBuf body,
      String contentType, boolean head, boolean keepAlive) {
    FullHttpResponse r = respond(status, body.duplicate(), contentType, head, keepAlive);
    r.headers().set("X-Schoolgate", status.code() == 200 ? "page" : "error");
    return r;
  }

  private static FullHttpResponse respond(HttpResponseStatus status, ByteBuf body,
      String contentType, boolean head, boolean keepAlive) {
    int length = body.readableBytes();
    PageResponse response = new PageResponse(status, head ? Unpooled.EMPTY_BUFFER : body);
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    if (HTML.equals(contentType)) {
      h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      h.set("X-Content-Type-Options", "nosniff");
    }
    h.set("X-Schoolgate", status.code() == 403 ? "blocked" : "error");
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }
}
