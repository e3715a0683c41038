package org.schoolgate.proxy.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One request in flight on a client connection: filled in by the filter when it decides and by
 * {@link ExchangeRecorder} as the response is written, then turned into an {@link AccessEvent}.
 * Confined to the connection's event loop.
 */
public final class Exchange {
  final long startNanos;
  final Instant time;
  final String client;
  ZoneId zone = ZoneOffset.UTC;
  String user;
  String auth;
  String group;
  String method;
  String scheme;
  String host;
  int port;
  String path;
  String query;
  List<String> categories = List.of();
  String action = "reject";
  String level;
  String rule;
  String reason;
  Long unblock;
  String safeSearch;
  String search;
  int status;
  long bytesIn;
  long bytesOut;
  ContentNote content;
  DownloadNote download;
  boolean connect;
  boolean tunnel;
  String dst;

  public Exchange(Instant time, long startNanos, String client) {
    this.time = time;
    this.startNanos = startNanos;
    this.client = client;
  }

  /** What was asked: method and target. */
  public Exchange request(String method, String scheme, String host, int port, String path,
      String query) {
    this.method = method;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
    this.query = query == null || query.isEmpty() ? null : query;
    this.connect = "CONNECT".equals(method);
    return this;
  }

  /**
   * Where a redirected client meant to go ({@code address:port}, transparent mode); logged as
   * {@code dst}.
   */
  public Exchange destination(String dst) {
    this.dst = dst;
    return this;
  }

  /** Who asked. */
  public Exchange who(String user, String group) {
    this.user = user;
    this.group = group;
    return this;
  }

  /**
   * How the person was identified: {@code basic}, {@code negotiate}, {@code session},
   * {@code radius}, {@code portal} or {@code subnet}.
   */
  public Exchange auth(String auth) {
    this.auth = auth;
    return this;
  }

  /** What was decided. */
  public Exchange decision(String action, String level, String rule, String reason,
      List<String> categories, ZoneId zone) {
    this.action = action;
    this.level = level;
    this.rule = rule;
    this.reason = reason;
    this.categories = categories;
    this.zone = zone;
    return this;
  }

  /** The unblock that allowed the request, or null. */
  public Exchange unblock(Long unblock) {
    this.unblock = unblock;
    return this;
  }

  /** The safe host the request was connected to instead of its own (safesearch), or null. */
  public Exchange safeSearch(String safeHost) {
    this.safeSearch = safeHost;
    return this;
  }

  /** The search term of a search request seen in clear, or null. */
  public Exchange search(String term) {
    this.search = term;
    return this;
  }

  /** What content analysis concluded about the response (or null). */
  public Exchange content(ContentNote note) {
    this.content = note;
    return this;
  }

  /** What the response was told to be, when its group may not download that kind (or null). */
  public Exchange download(DownloadNote note) {
    this.download = note;
    return this;
  }

  /** The content note set so far, or null. */
  public ContentNote content() {
    return content;
  }

  /** The decided rule text (e.g. {@code matrix:gambling/pupils}), or null. */
  public String rule() {
    return rule;
  }

  /** Sets the status for exchanges answered outside the normal write path. */
  public Exchange status(int status) {
    this.status = status;
    return this;
  }

  /** Sets the body bytes sent for exchanges answered outside the normal write path. */
  public Exchange bytesOut(long bytesOut) {
    this.bytesOut = bytesOut;
    return this;
  }

  AccessEvent toEvent(long nowNanos) {
    return new AccessEvent(time, zone, client, user, group, method, scheme, host, port, path,
        query, categories, action, level, rule, reason, unblock, safeSearch, search, status, bytesIn, bytesOut,
        Math.max(0, (nowNanos - startNanos) / 1_000_000), auth, dst, content, download);
  }
}
