package org.schoolgate.proxy.safesearch;

import io.netty.handler.codec.http.HttpRequest;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * What connecting to a safe host means for a request: the meter tag, and over plain HTTP the
 * rewrites the sites document: {@code safe=active} on Google's {@code /search} (any
 * {@code safe=} the user sent is replaced, the rest of the query kept) and
 * {@code YouTube-Restrict: Strict|Moderate} for YouTube.
 */
public final class SafeSearchRewrite {
  /** The header YouTube reads for restricted mode. */
  public static final String YOUTUBE_HEADER = "YouTube-Restrict";

  private SafeSearchRewrite() {}

  /** The meter tag for {@code safeHost} (as returned by {@code PolicySnapshot.safeSearchHost}). */
  public static ProxyMetrics.SafeSearch target(String safeHost) {
    switch (safeHost) {
      case "forcesafesearch.google.com":
        return ProxyMetrics.SafeSearch.GOOGLE;
      case "restrictmoderate.youtube.com":
        return ProxyMetrics.SafeSearch.YOUTUBE_MODERATE;
      case "restrict.youtube.com":
        return ProxyMetrics.SafeSearch.YOUTUBE_STRICT;
      case "strict.bing.com":
        return ProxyMetrics.SafeSearch.BING;
      default:
        return ProxyMetrics.SafeSearch.DUCKDUCKGO;
    }
  }

  /**
   * Rewrites a plain-HTTP {@code request} (already decided, path normalised to {@code path}) that
   * goes to {@code safeHost}: the header for YouTube, {@code safe=active} for a Google search.
   */
  public static void applyHttp(HttpRequest request, String path, String safeHost) {
    ProxyMetrics.SafeSearch target = target(safeHost);
    if (target == ProxyMetrics.SafeSearch.YOUTUBE_STRICT) {
      request.headers().set(YOUTUBE_HEADER, "Strict");
    } else if (target == ProxyMetrics.SafeSearch.YOUTUBE_MODERATE) {
      request.headers().set(YOUTUBE_HEADER, "Moderate");
    } else if (target == ProxyMetrics.SafeSearch.GOOGLE && "/search".equals(path)) {
      request.setUri(withSafeActive(request.uri()));
    }
  }

  /**
   * {@code uri} with its query's {@code safe} parameters replaced by {@code safe=active}; the
   * other parameters stay as sent, in order.
   */
  static String withSafeActive(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri + "?safe=active";
    }
    StringBuilder out = new StringBuilder(uri.length() + 12).append(uri, 0, q + 1);
    int i = q + 1;
    while (i <= uri.length()) {
      int amp = uri.indexOf('&', i);
      int end = amp < 0 ? uri.length() : amp;
      boolean safe = uri.startsWith("safe=", i) || (end - i == 4 && uri.startsWith("safe", i));
      if (end > i && !safe) {
        out.append(uri, i, end).append('&');
      }
      i = end + 1;
    }
    return out.append("safe=active").toString();
  }
}
