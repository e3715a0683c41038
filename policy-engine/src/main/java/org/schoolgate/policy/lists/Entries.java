package org.schoolgate.policy.lists;

import java.util.Locale;
import org.schoolgate.policy.url.UrlParser;

/**
 * Normalises list entries the way {@link UrlParser#normalizeHost} normalises request hosts, so a
 * listed domain and a requested host compare equal. Returns null for lines that are not entries.
 */
public final class Entries {
  private Entries() {}

  /**
   * A domain entry: lower case, no trailing dot, IDN as punycode; a leading {@code .} or
   * {@code *.} is dropped (it means "this domain and below", which is what every entry means).
   * Returns null when the text is not a host name or address.
   */
  public static String domain(String raw) {
    try {
      return parseDomain(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Like {@link #domain} but throws IllegalArgumentException saying why the text is not a host
   * name or address. Unicode and punycode spellings give the same entry ({@code straße.de} and
   * {@code xn--strae-oqa.de}), as they do for requests; an invalid {@code xn--} label is refused.
   */
  public static String parseDomain(String raw) {
    String s = raw.strip();
    if (s.startsWith("*.")) {
      s = s.substring(2);
    } else if (s.startsWith(".")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("'" + raw.strip() + "' names no domain (expected: a domain such as example.com)");
    }
    if (s.indexOf('/') >= 0) {
      throw new IllegalArgumentException("'" + s + "' has a '/' (expected: a domain only; host/path"
          + " entries belong in a urls file)");
    }
    if (s.indexOf('@') >= 0) {
      throw new IllegalArgumentException("'" + s + "' has an '@' (expected: a domain only, e.g. example.com)");
    }
    if (UrlParser.isNormalDomain(s)) {
      return s;
    }
    return UrlParser.normalizeHost(s);
  }

  /**
   * A URL entry {@code host/path/prefix} (an {@code http://} or {@code https://} scheme is
   * dropped; the path is normalised as requests' paths are). Returns null when the host part is
   * not a host name.
   */
  public static UrlEntry url(String raw) {
    try {
      return parseUrl(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Like {@link #url} but throws IllegalArgumentException saying why the host part is not a host name. */
  public static UrlEntry parseUrl(String raw) {
    String s = raw.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      s = s.substring(7);
    } else if (lower.startsWith("https://")) {
      s = s.substring(8);
    }
    int slash = s.indexOf('/');
    String host = parseDomain(slash < 0 ? s : s.substring(0, slash));
    // The path is normalised like a request's (UrlParser.normalizePath: escapes, dot segments,
    // backslashes), so 'example.com/gam%65s/' and a request for '/games/' meet; the query stays.
    String rest = slash < 0 ? "" : s.substring(slash);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    String normal = path.isEmpty() ? "" : UrlParser.normalizePath(path);
    return new UrlEntry(host, q < 0 ? normal : normal + rest.substring(q));
  }

  /**
   * One line of a school list file (the {@code files:} of a category), which holds both kinds: a
   * domain ({@code example.com}, also written {@code https://example.com/}) or, when a path
   * follows the host, a {@code host/path} prefix ({@code example.com/games/}). Throws
   * IllegalArgumentException saying what is wrong and how to write it.
   */
  public static Entry parseEntry(String raw) {
    String s = raw.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      s = s.substring(7);
    } else if (lower.startsWith("https://")) {
      s = s.substring(8);
    }
    int slash = s.indexOf('/');
    if (slash >= 0 && slash < s.length() - 1) {
      UrlEntry url = parseUrl(s);
      return url.pathPrefix().isEmpty() || url.pathPrefix().equals("/") ? new Domain(url.host()) : url;
    }
    return new Domain(parseDomain(slash < 0 ? s : s.substring(0, slash)));
  }

  /** A list entry: a domain or a host/path prefix. {@link #text()} is how a list file writes it. */
  public sealed interface Entry permits Domain, UrlEntry {
    /** The entry as one list line: {@code example.com} or {@code example.com/games/}. */
    String text();
  }

  /** A domain entry (normalised): the domain and everything below it. */
  public record Domain(String name) implements Entry {
    @Override
    public String text() {
      return name;
    }
  }

  /**
   * A host plus path prefix.
   *
   * @param host normalised host; matches the host and its subdomains
   * @param pathPrefix matched against the request's path and query; "" matches everything
   */
  public record UrlEntry(String host, String pathPrefix) implements Entry {
    @Override
    public String text() {
      return host + pathPrefix;
    }
  }
}
