package org.schoolgate.policy.index;

import org.schoolgate.policy.url.UrlParser;

/**
 * The compiled category lists: host (and path) → category set id, with no allocation per lookup.
 *
 * <h2>Design notes</h2>
 *
 * <p><b>What it answers.</b> Every category whose list contains the host or one of its parent
 * domains on a label boundary ({@code example.com} matches {@code ads.example.com}, not
 * {@code badexample.com}), plus every category with a URL entry ({@code host/path-prefix}) whose
 * host matches the same way and whose path is a prefix of the request's path and query.
 *
 * <p><b>Domains.</b> Entries are not stored as strings. Each entry is reduced to a 64-bit hash
 * ({@link HostHash}) in an open-addressed {@code long[]} table with an {@code int[]} category-set
 * id per slot (load at most 1/2, linear probing). The hash is computed right to left, so one
 * pass over the request host, reading characters in place, produces the key of every suffix that
 * starts at a label boundary: {@code a.b.example.co.uk} probes {@code uk}, {@code co.uk},
 * {@code example.co.uk}, {@code b.example.co.uk}, {@code a.b.example.co.uk}. When the index is
 * built each entry's set already includes the sets of its listed parent domains, so the longest
 * matching suffix alone gives the answer. IP literals match exactly, never by suffix.
 *
 * <p><b>Collisions.</b> Two different names with the same 64-bit hash are treated as one entry.
 * With n entries the chance that any two of them collide is about n²/2⁶⁵ (10⁻⁸ for the whole UT1
 * feed) and the chance that a given unlisted suffix is taken for a listed one is about n/2⁶⁴ per
 * probe; we accept both in exchange for no strings and no allocation.
 *
 * <p><b>Normalisation in place.</b> The request host may be un-normalised: ASCII upper case is
 * folded while hashing, a trailing dot, a {@code :port} and IPv6 brackets are skipped by adjusting
 * the character range. Only a non-ASCII (IDN) host is normalised with {@link UrlParser}, which
 * allocates.
 *
 * <p><b>URLs.</b> URL entries are few (tens of thousands in UT1); a second table maps the hash of
 * an entry host to its path prefixes, checked with {@link String#startsWith}. A request whose host
 * matches both a domain and a URL entry of different sets gets their union through
 * {@link CategorySets#union}, memoised.
 *
 * <p><b>Memory.</b> 12 bytes per slot and at least 2 slots per entry (a power of two): 2²¹ slots,
 * about 25 MB, for the whole UT1 feed (588,000 distinct entries). Compiling that feed takes about
 * 2 s on two cores; a lookup costs a few probes of one cache line each.
 */
public final class HostIndex {
  /** Returned by {@link #lookup} when the host cannot be read as a host name. */
  public static final int UNREADABLE = -1;

  private final CategorySets<?> sets;
  private final LongIntTable domains;
  private final LongIntTable urlHosts;
  private final String[][] urlPrefixes;
  private final int[][] urlSets;
  private final int urlEntries;

  HostIndex(CategorySets<?> sets, LongIntTable domains, LongIntTable urlHosts, String[][] urlPrefixes,
      int[][] urlSets, int urlEntries) {
    this.sets = sets;
    this.domains = domains;
    this.urlHosts = urlHosts;
    this.urlPrefixes = urlPrefixes;
    this.urlSets = urlSets;
    this.urlEntries = urlEntries;
  }

  /** The category sets the ids refer to. */
  public CategorySets<?> sets() {
    return sets;
  }

  /** Distinct domain entries. */
  public int domainCount() {
    return domains.size();
  }

  /** Distinct URL entries. */
  public int urlCount() {
    return urlEntries;
  }

  /**
   * The id of the set of categories {@code host} (and {@code pathAndQuery}, for URL entries) is
   * listed in; {@link CategorySets#EMPTY} for none, {@link #UNREADABLE} when the host is not a
   * host name. Accepts un-normalised hosts ({@code WWW.Example.COM.:8080}, {@code [::1]:443}).
   */
  public int lookup(String host, String pathAndQuery) {
    int n = host.length();
    if (n == 0) {
      return UNREADABLE;
    }
    int start = 0;
    int end = n;
    boolean exact = false;
    if (host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 0) {
        return UNREADABLE;
      }
      start = 1;
      end = close;
      exact = true;
    } else {
      int colon = host.indexOf(':');
      if (colon >= 0) {
        if (host.indexOf(':', colon + 1) >= 0) {
          exact = true;
        } else {
          end = colon;
        }
      }
    }
    if (!exact && end > start && host.charAt(end - 1) == '.') {
      end--;
    }
    if (end <= start) {
      return UNREADABLE;
    }
    char last = host.charAt(end - 1);
    if (last >= '0' && last <= '9') {
      exact = true;
    }
    String path = pathAndQuery == null ? "" : pathAndQuery;
    int found = CategorySets.EMPTY;
    int fromUrls = CategorySets.EMPTY;
    long h = HostHash.SEED;
    for (int i = end - 1; i >= start; i--) {
      char c = host.charAt(i);
      if (c >= 0x80) {
        return lookupInternational(host, path);
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c == '.' && !exact) {
        long key = HostHash.finish(h);
        int set = domains.get(key);
        if (set >= 0) {
          found = set;
        }
        if (urlEntries > 0) {
          fromUrls = matchUrls(key, path, fromUrls);
        }
      }
      h = HostHash.step(h, c);
    }
    long key = HostHash.finish(h);
    int set = domains.get(key);
    if (set >= 0) {
      found = set;
    }
    if (urlEntries > 0) {
      fromUrls = matchUrls(key, path, fromUrls);
    }
    return sets.union(found, fromUrls);
  }

  private int matchUrls(long key, String path, int acc) {
    int slot = urlHosts.get(key);
    if (slot < 0) {
      return acc;
    }
    String[] prefixes = urlPrefixes[slot];
    int[] ids = urlSets[slot];
    for (int i = 0; i < prefixes.length; i++) {
      if (path.startsWith(prefixes[i])) {
        acc = sets.union(acc, ids[i]);
      }
    }
    return acc;
  }

  private int lookupInternational(String host, String path) {
    String normal;
    try {
      normal = UrlParser.normalizeHost(host);
    } catch (IllegalArgumentException e) {
      return UNREADABLE;
    }
    for (int i = 0; i < normal.length(); i++) {
      if (normal.charAt(i) >= 0x80) {
        return UNREADABLE;
      }
    }
    return lookup(normal, path);
  }
}
