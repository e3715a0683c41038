package org.schoolgate.policy.search;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.url.GoogleHosts;

/**
 * Pulls the search term out of a request to a search engine or video site. Built in: Google
 * ({@code google.<tld>}, {@code www.google.<tld>}, {@code /search} → {@code q}), Bing
 * ({@code /search} → {@code q}), DuckDuckGo ({@code /} and {@code html.duckduckgo.com/html} →
 * {@code q}), Yahoo ({@code search.yahoo.com/search} → {@code p}), YouTube ({@code /results} →
 * {@code search_query}), Wikipedia ({@code *.wikipedia.org}: {@code /w/index.php} or
 * {@code /wiki/Special:Search} → {@code search}, or {@code /wiki/Special:Search/<term>}); plus the
 * policy's {@link SearchEngine}s.
 *
 * <p>The term is percent- and {@code +}-decoded as UTF-8 (kept as sent when that is not valid
 * UTF-8), trimmed, its whitespace collapsed to single spaces and cut to {@value #MAX_LENGTH}
 * characters. A host that is no search site is recognised by comparing characters: nothing is
 * allocated for it. Immutable and thread-safe.
 */
public final class SearchTerms {
  /** The longest term returned. */
  public static final int MAX_LENGTH = 500;
  /** The built-in engines only. */
  public static final SearchTerms BUILT_IN = new SearchTerms(List.of());

  private static final String WIKI_SEARCH = "/wiki/Special:Search";
  private static final String WIKI_SEARCH_ESCAPED = "/wiki/Special%3ASearch";

  private final Map<String, SearchEngine[]> extra = new HashMap<>();
  private final List<SearchEngine> engines;

  /** The built-in engines plus {@code engines} (checked before the built-in ones). */
  public SearchTerms(List<SearchEngine> engines) {
    this.engines = List.copyOf(engines);
    for (SearchEngine e : this.engines) {
      extra.merge(e.host(), new SearchEngine[] {e}, (a, b) -> {
        SearchEngine[] both = java.util.Arrays.copyOf(a, a.length + 1);
        both[a.length] = b[0];
        return both;
      });
    }
  }

  /** The school's engines. */
  public List<SearchEngine> engines() {
    return engines;
  }

  /**
   * The term searched for, or null when the request is no search (or an empty one).
   *
   * @param host the normalised host (lower case, no trailing dot)
   * @param path the path, starting with '/'
   * @param query the raw query string without '?', or null/"" when absent
   */
  public String extract(String host, String path, String query) {
    if (host == null || path == null) {
      return null;
    }
    if (!extra.isEmpty()) {
      SearchEngine[] mine = extra.get(host);
      if (mine != null) {
        for (SearchEngine e : mine) {
          if (e.pathPrefix() == null || path.startsWith(e.pathPrefix())) {
            String term = parameter(query, e.parameter());
            if (term != null) {
              return term;
            }
          }
        }
      }
    }
    switch (host) {
      case "www.bing.com":
      case "bing.com":
        return path.equals("/search") ? parameter(query, "q") : null;
      case "duckduckgo.com":
      case "www.duckduckgo.com":
      case "safe.duckduckgo.com":
        return path.equals("/") ? parameter(query, "q") : null;
      case "html.duckduckgo.com":
        return path.equals("/html") || path.equals("/html/") ? parameter(query, "q") : null;
      case "search.yahoo.com":
        return path.equals("/search") ? parameter(query, "p") : null;
      case "www.youtube.com":
      case "m.youtube.com":
      case "youtube.com":
        return path.equals("/results") ? parameter(query, "search_query") : null;
      default:
        break;
    }
    if (host.endsWith(".wikipedia.org")) {
      return wikipedia(path, query);
    }
    if (host.endsWith(".search.yahoo.com")) {
      return path.equals("/search") ? parameter(query, "p") : null;
    }
    if (GoogleHosts.isGoogleSearch(host)) {
      return path.equals("/search") ? parameter(query, "q") : null;
    }
    return null;
  }

  private static String wikipedia(String path, String query) {
    if (path.equals("/w/index.php") || path.equals(WIKI_SEARCH) || path.equals(WIKI_SEARCH_ESCAPED)) {
      return parameter(query, "search");
    }
    int start = path.startsWith(WIKI_SEARCH + "/") ? WIKI_SEARCH.length() + 1
        : path.startsWith(WIKI_SEARCH_ESCAPED + "/") ? WIKI_SEARCH_ESCAPED.length() + 1 : -1;
    if (start < 0) {
      return null;
    }
    return clean(decode(path.substring(start), false).replace('_', ' '));
  }

  /** The first non-empty value of {@code name} in {@code query}, decoded and cleaned, or null. */
  static String parameter(String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    int i = 0;
    int n = query.length();
    while (i < n) {
      int end = query.indexOf('&', i);
      if (end < 0) {
        end = n;
      }
      if (query.startsWith(name, i) && i + name.length() < end && query.charAt(i + name.length()) == '=') {
        String term = clean(decode(query.substring(i + name.length() + 1, end), true));
        if (term != null) {
          return term;
        }
      }
      i = end + 1;
    }
    return null;
  }

  /**
   * Percent-decodes {@code raw} as UTF-8 ({@code +} is a space when {@code plusIsSpace}); the raw
   * text when the escapes are broken or the bytes are not UTF-8.
   */
  static String decode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0) {
      return plusIsSpace ? raw.replace('+', ' ') : raw;
    }
    byte[] bytes = new byte[raw.length() * 3];
    int b = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          return raw;
        }
        bytes[b++] = (byte) (hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes[b++] = ' ';
      } else if (c < 0x80) {
        bytes[b++] = (byte) c;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        System.arraycopy(utf8, 0, bytes, b, utf8.length);
        b += utf8.length;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, b)).toString();
    } catch (CharacterCodingException e) {
      return raw;
    }
  }

  /** Trimmed, whitespace runs collapsed to one space, at most {@value #MAX_LENGTH} chars; null when empty. */
  static String clean(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_LENGTH));
    boolean space = false;
    for (int i = 0; i < s.length() && out.length() < MAX_LENGTH; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
          if (out.length() >= MAX_LENGTH) {
            break;
          }
        }
        out.append(c);
      }
    }
    if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
      out.setLength(out.length() - 1);
    }
    return out.length() == 0 ? null : out.toString();
  }
}
