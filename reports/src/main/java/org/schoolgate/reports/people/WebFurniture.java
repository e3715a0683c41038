package org.schoolgate.reports.people;

import java.util.Locale;
import java.util.Set;

/**
 * Tells a page load from web furniture: the images, scripts, styles, fonts, media segments,
 * trackers, adverts and CDN calls a page pulls in. A request is furniture when, in this order:
 *
 * <ol>
 *   <li>its content type (when the log has one) is not HTML: {@code image/*}, {@code font/*},
 *       {@code text/css}, scripts, JSON, {@code audio/*}, {@code video/*};
 *   <li>its path ends in an asset extension ({@link #ASSET_EXTENSIONS}: {@code .js}, {@code .css},
 *       {@code .png}, {@code .woff2}, {@code .m3u8}, ...);
 *   <li>its host is, or is under, a known tracker, advertising or CDN host ({@link #KNOWN_HOSTS});
 *   <li>its host's first label names an asset or tracking host ({@code cdn}, {@code static},
 *       {@code img}, {@code fonts}, {@code ads}, {@code analytics}, {@code pixel}, ...; also
 *       {@code cdn1}, {@code static-2});
 *   <li>it is a filtering-resolver DNS lookup (the device asking for a name, not a page).
 * </ol>
 * Everything else is a page. {@link PersonTimeline} then folds furniture under the most recent
 * page of the same client within its window, and also folds a "page" to the same site as that
 * page within a few seconds of it (the page's own calls: XHR, frames, redirects), so a page is one
 * line.
 */
final class WebFurniture {
  private WebFurniture() {}

  static final Set<String> ASSET_EXTENSIONS = Set.of("js", "mjs", "css", "png", "jpg", "jpeg", "gif", "webp",
      "avif", "svg", "ico", "bmp", "woff", "woff2", "ttf", "otf", "eot", "map", "json", "mp4", "webm", "m4s",
      "m4a", "mp3", "aac", "m3u8", "mpd", "ts", "wasm", "vtt");

  /** Trackers, advertising and CDN hosts (a request to one, or any name under one, is furniture). */
  static final Set<String> KNOWN_HOSTS = Set.of(
      // analytics and tag managers
      "google-analytics.com", "googletagmanager.com", "analytics.google.com", "stats.g.doubleclick.net",
      "scorecardresearch.com", "hotjar.com", "hotjar.io", "clarity.ms", "segment.io", "segment.com",
      "mixpanel.com", "newrelic.com", "nr-data.net", "sentry.io", "bugsnag.com", "quantserve.com",
      "chartbeat.com", "chartbeat.net", "optimizely.com", "omtrdc.net", "demdex.net", "adobedtm.com",
      // advertising
      "doubleclick.net", "googlesyndication.com", "googleadservices.com", "adservice.google.com",
      "amazon-adsystem.com", "adnxs.com", "criteo.com", "criteo.net", "taboola.com", "outbrain.com",
      "pubmatic.com", "rubiconproject.com", "openx.net", "casalemedia.com", "moatads.com", "adsrvr.org",
      "facebook.net", "ads-twitter.com", "ads.linkedin.com", "bat.bing.com",
      // CDNs, fonts and static hosts
      "gstatic.com", "googleapis.com", "ggpht.com", "ytimg.com", "googleusercontent.com", "fbcdn.net",
      "cdninstagram.com", "twimg.com", "akamaihd.net", "akamaized.net", "akamai.net", "edgekey.net",
      "cloudfront.net", "cloudflare.com", "cdnjs.cloudflare.com", "jsdelivr.net", "unpkg.com", "fastly.net",
      "fastly.com", "azureedge.net", "msecnd.net", "bootstrapcdn.com", "jquery.com", "typekit.net",
      "fontawesome.com", "vimeocdn.com", "sc-static.net", "licdn.com", "redditstatic.com", "bbci.co.uk",
      "pinimg.com", "tiktokcdn.com", "ttwstatic.com", "sndcdn.com", "scdn.co", "wp.com", "gravatar.com");

  static final Set<String> ASSET_LABELS = Set.of("cdn", "static", "assets", "asset", "img", "images", "image",
      "fonts", "font", "media", "ads", "ad", "adserver", "analytics", "pixel", "tracking", "tracker", "stats",
      "metrics", "telemetry", "beacon", "collect", "tags", "tag", "cache", "thumbs", "thumbnails", "js", "css");

  /** Why a request is furniture, or null for a page. */
  static String why(String host, String path, String contentType, boolean dns) {
    if (dns) {
      return "dns lookup";
    }
    if (contentType != null && !contentType.isBlank()) {
      String t = contentType.toLowerCase(Locale.ROOT);
      if (t.startsWith("text/html") || t.startsWith("application/xhtml")) {
        return null;
      }
      if (t.startsWith("image/") || t.startsWith("font/") || t.startsWith("text/css") || t.contains("javascript")
          || t.contains("json") || t.startsWith("audio/") || t.startsWith("video/")) {
        return "content type " + t;
      }
    }
    String ext = extension(path);
    if (ext != null && ASSET_EXTENSIONS.contains(ext)) {
      return "asset (." + ext + ")";
    }
    if (host == null) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String known = h; known != null; known = parent(known)) {
      if (KNOWN_HOSTS.contains(known)) {
        return "tracker, advert or CDN host";
      }
    }
    int dot = h.indexOf('.');
    if (dot > 0 && h.indexOf('.', dot + 1) > 0) {
      String label = h.substring(0, dot).replaceAll("[-_]?\\d+$", "");
      if (ASSET_LABELS.contains(label)) {
        return "asset host (" + h.substring(0, dot) + ".)";
      }
    }
    return null;
  }

  /** The lower-case extension of the path's last segment (before any query), or null. */
  static String extension(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    int q = path.indexOf('?');
    String p = q >= 0 ? path.substring(0, q) : path;
    int slash = p.lastIndexOf('/');
    int dot = p.lastIndexOf('.');
    if (dot <= slash || dot == p.length() - 1) {
      return null;
    }
    return p.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * The site a host belongs to, for "same site" checks: its last two labels, or three under a
   * two-level public suffix such as {@code co.uk}, {@code sch.uk} or {@code com.au}.
   */
  static String site(String host) {
    if (host == null) {
      return "";
    }
    String h = host.toLowerCase(Locale.ROOT);
    String[] labels = h.split("\\.");
    if (labels.length <= 2) {
      return h;
    }
    String second = labels[labels.length - 2];
    boolean twoLevel = labels[labels.length - 1].length() == 2
        && Set.of("co", "ac", "org", "gov", "sch", "nhs", "ltd", "plc", "net", "com", "me", "edu").contains(second);
    int keep = twoLevel ? 3 : 2;
    StringBuilder b = new StringBuilder();
    for (int i = labels.length - keep; i < labels.length; i++) {
      b.append(b.length() == 0 ? "" : ".").append(labels[i]);
    }
    return b.toString();
  }

  private static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 || host.indexOf('.', dot + 1) < 0 ? null : host.substring(dot + 1);
  }
}
