package org.schoolgate.alerts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One finished request, or one DNS query answered by the filtering resolver, as the alert rules
 * see it (deploy maps the proxy's access events and the resolver's DNS events to it).
 *
 * @param time when the request arrived
 * @param zone the school's time zone, for the times people read
 * @param client the client IP address
 * @param user the user name, or null when unknown
 * @param group the policy group, or null
 * @param host the host asked for, or null
 * @param url what was asked for, for people (e.g. {@code http://host/path} or {@code host:443})
 * @param categories every category matched
 * @param action {@code allow}, {@code block} or {@code reject}
 * @param level the deciding level (e.g. {@code illegal}), or null
 * @param rule the deciding rule text (e.g. {@code matrix:gambling/pupils}, {@code sni-mismatch}), or null
 * @param search the search term the proxy logged for the request (a search engine or video site
 *     seen in clear), or null
 * @param kind a request through the proxy, or a DNS query (the rules count a device's repeated
 *     lookups of one name as one attempt)
 * @param content what content analysis concluded about the response, or null
 */
public record AccessInput(Instant time, ZoneId zone, String client, String user, String group, String host,
    String url, List<String> categories, String action, String level, String rule, String search, Kind kind,
    Content content) {

  /**
   * What content analysis concluded about a response (the access line's {@code content}).
   *
   * @param action {@code log}, {@code alert} or {@code block}
   * @param theme the deciding theme (e.g. {@code self-harm}), or null when analysis failed
   * @param score its score
   * @param threshold the group's threshold for it
   * @param phrases the top matched phrases
   * @param liftedBy the rule that lifted a block to an alert, or null
   * @param cut true when the response was ended early
   * @param ai true for a generative-AI chat tool
   * @param prompt what was asked of the tool (an excerpt), or null
   * @param answer the start of the answer (an excerpt), or null
   */
  public record Content(String action, String theme, int score, int threshold, List<String> phrases,
      String liftedBy, boolean cut, boolean ai, String prompt, String answer) {
    public Content {
      Objects.requireNonNull(action, "action");
      phrases = phrases == null ? List.of() : List.copyOf(phrases);
    }
  }

  /** An event without a content note. */
  public AccessInput(Instant time, ZoneId zone, String client, String user, String group, String host,
      String url, List<String> categories, String action, String level, String rule, String search, Kind kind) {
    this(time, zone, client, user, group, host, url, categories, action, level, rule, search, kind, null);
  }

  /** Where an event comes from. */
  public enum Kind {
    /** A request through the proxy (HTTP, a CONNECT tunnel, a decrypted HTTPS request). */
    REQUEST,
    /** A DNS query answered by the filtering resolver. */
    DNS
  }

  public AccessInput {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(zone, "zone");
    categories = categories == null ? List.of() : List.copyOf(categories);
    search = search == null || search.isBlank() ? null : search;
    kind = kind == null ? Kind.REQUEST : kind;
  }

  /** A request through the proxy. */
  public AccessInput(Instant time, ZoneId zone, String client, String user, String group, String host,
      String url, List<String> categories, String action, String level, String rule, String search) {
    this(time, zone, client, user, group, host, url, categories, action, level, rule, search, Kind.REQUEST);
  }

  /**
   * A DNS query for {@code name} of type {@code qtype} answered by the filtering resolver; its
   * {@link #url()} says so, e.g. {@code www.bet365.com (DNS A lookup)}.
   */
  public static AccessInput dns(Instant time, ZoneId zone, String client, String user, String group, String name,
      String qtype, List<String> categories, String action, String level, String rule) {
    String url = name == null ? null : name + " (DNS " + (qtype == null ? "" : qtype + " ") + "lookup)";
    return new AccessInput(time, zone, client, user, group, name, url, categories, action, level, rule, null,
        Kind.DNS);
  }

  /** A request without a search term. */
  public AccessInput(Instant time, ZoneId zone, String client, String user, String group, String host,
      String url, List<String> categories, String action, String level, String rule) {
    this(time, zone, client, user, group, host, url, categories, action, level, rule, null, Kind.REQUEST);
  }

  /** True for a DNS query (not a request through the proxy). */
  public boolean dnsQuery() {
    return kind == Kind.DNS;
  }

  /** True when the request was blocked. */
  public boolean blocked() {
    return "block".equals(action);
  }

  /** The user, or the client address when there is no user: whose attempts these are. */
  public String who() {
    return user != null && !user.isBlank() ? user : client;
  }

  /** The rule's name without its detail: {@code matrix:gambling/pupils} → {@code matrix}. */
  public String ruleName() {
    if (rule == null) {
      return "";
    }
    int colon = rule.indexOf(':');
    return colon < 0 ? rule : rule.substring(0, colon);
  }

  /**
   * What was asked for, as people read it: {@code host:port} for a tunnel (a CONNECT, or an https
   * event without a path), else {@code scheme://host[:port]path[?query]} with the scheme's default
   * port left out (decrypted HTTPS requests keep their full URL); null without a host.
   */
  public static String url(String method, String scheme, String host, int port, String path, String query) {
    if (host == null) {
      return null;
    }
    boolean tunnel = "CONNECT".equals(method) || "https".equals(scheme) && (path == null || path.isEmpty());
    if (tunnel) {
      return host + ":" + port;
    }
    String s = scheme == null ? "http" : scheme;
    boolean defaultPort = port <= 0 || port == 80 && s.equals("http") || port == 443 && s.equals("https");
    return s + "://" + host + (defaultPort ? "" : ":" + port) + (path == null ? "" : path)
        + (query == null ? "" : "?" + query);
  }
}
