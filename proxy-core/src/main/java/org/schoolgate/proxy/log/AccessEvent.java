package org.schoolgate.proxy.log;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * One finished request, as written to the access log (one JSON line).
 *
 * @param time when the request arrived
 * @param zone the policy time zone; the daily file is chosen by the date in this zone
 * @param client client IP address
 * @param user user name, or null when unknown
 * @param group the group decided for, or null (refused or unparseable requests)
 * @param method request method, or null when the request line could not be read
 * @param scheme {@code http}, {@code https} (CONNECT) or null
 * @param host normalised host, or null
 * @param port target port, or 0
 * @param path path ("" for CONNECT), or null
 * @param query query without '?', or null
 * @param categories every category matched
 * @param action {@code allow}, {@code block}, or {@code reject} (no decision: not a client,
 *     malformed request)
 * @param level the deciding level, or null
 * @param rule the deciding rule text, e.g. {@code matrix:gambling/pupils}
 * @param reason a sentence for people, or null
 * @param unblock the id of the unblock or filter bypass that allowed the request (rule
 *     {@code unblock} or {@code filter-bypass}), or null
 * @param safeSearch the safe host the request was connected to instead of {@code host}
 *     ({@code safesearch:} in the policy, e.g. {@code forcesafesearch.google.com}), or null
 * @param search the search term of a request to a search engine or video site the proxy saw in
 *     clear ({@code PolicySnapshot.searchTerm}), decoded, or null
 * @param status HTTP status sent to the client (200 for an established tunnel; 0 when the
 *     connection closed before any response)
 * @param bytesIn body bytes from the client (tunnel bytes for CONNECT)
 * @param bytesOut body bytes to the client (tunnel bytes for CONNECT)
 * @param durationMs from the request to the end of the response (or of the tunnel)
 * @param auth how the person was identified ({@code basic}, {@code negotiate}, {@code session},
 *     {@code radius}, {@code portal}, {@code subnet}), or null when nobody was (refused,
 *     unreadable, not signed in)
 * @param dst where a client whose connection was redirected to the proxy (transparent mode)
 *     meant to go, {@code address:port}, or null for proxy clients and when unknown
 * @param content what content analysis concluded, or null when it found nothing to report (or
 *     did not run)
 * @param download what the response was told to be when its group may not download that kind
 *     (blocked, or let through for a covered site), or null
 */
public record AccessEvent(
    Instant time,
    ZoneId zone,
    String client,
    String user,
    String group,
    String method,
    String scheme,
    String host,
    int port,
    String path,
    String query,
    List<String> categories,
    String action,
    String level,
    String rule,
    String reason,
    Long unblock,
    String safeSearch,
    String search,
    int status,
    long bytesIn,
    long bytesOut,
    long durationMs,
    String auth,
    String dst,
    ContentNote content,
    DownloadNote download) {

  /** An event without a download note. */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, String safeSearch, String search, int status, long bytesIn, long bytesOut,
      long durationMs, String auth, String dst, ContentNote content) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, safeSearch, search, status, bytesIn, bytesOut,
        durationMs, auth, dst, content, null);
  }

  /** An event without a content note. */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, String safeSearch, String search, int status, long bytesIn, long bytesOut,
      long durationMs, String auth, String dst) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, safeSearch, search, status, bytesIn, bytesOut,
        durationMs, auth, dst, null);
  }

  /** An event of a client that knew it used a proxy (no original destination). */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, String safeSearch, String search, int status, long bytesIn, long bytesOut,
      long durationMs, String auth) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, safeSearch, search, status, bytesIn, bytesOut,
        durationMs, auth, (String) null);
  }

  /** An event without the identification method. */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, String safeSearch, String search, int status, long bytesIn, long bytesOut,
      long durationMs) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, safeSearch, search, status, bytesIn, bytesOut,
        durationMs, null);
  }

  /** An event without a safe-search rewrite. */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, int status, long bytesIn, long bytesOut, long durationMs) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, null, null, status, bytesIn, bytesOut, durationMs);
  }

  /** An event without a search term. */
  public AccessEvent(Instant time, ZoneId zone, String client, String user, String group,
      String method, String scheme, String host, int port, String path, String query,
      List<String> categories, String action, String level, String rule, String reason,
      Long unblock, String safeSearch, int status, long bytesIn, long bytesOut, long durationMs) {
    this(time, zone, client, user, group, method, scheme, host, port, path, query, categories,
        action, level, rule, reason, unblock, safeSearch, null, status, bytesIn, bytesOut, durationMs);
  }
}
