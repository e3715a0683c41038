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
 * ({@link HostHash}) and kept in a {@link PackedTable}: 8-byte slots that hold the hash's high
 * bits beside the entry's category-set id (linear probing, load at most 3/4), stored in 2 MiB
 * {@link Segments} rather than one array so that a reload never allocates (and zeroes) a huge
 * array while other threads wait for a safepoint. The
 * hash is computed right to left, so one pass over the request host, reading characters in place,
 * produces the key of every suffix that starts at a label boundary: {@code a.b.example.co.uk}
 * probes {@code uk}, {@code co.uk}, {@code example.co.uk}, {@code b.example.co.uk},
 * {@code a.b.example.co.uk}. When the index is built each entry's set already includes the sets of
 * its listed parent domains, so the longest matching suffix alone gives the answer. IP literals
 * match exactly, never by suffix.
 *
 * <p><b>Stopping early.</b> Each slot also says whether any listed name (or URL host) lies below
 * it; every label-boundary suffix of a listed name is in the table, with the empty set if it is
 * not listed itself ({@code com}, {@code co.uk}). A lookup stops at the first suffix that is
 * absent or has nothing below it. With millions of entries the table does not fit in any cache,
 * so a lookup costs about one memory access per probe; stopping early turns the two or three
 * uncached probes of a typical host ({@code example.com}, {@code www.example.com}) into one:
 * {@code www.unlisted.com} stops at {@code unlisted.com}, and {@code www.listed.com} stops at
 * {@code listed.com} unless something below it is listed. The characters left of the stop are
 * only checked for the two things that need the general path (a non-ASCII character or a colon),
 * never hashed.
 *
 * <p><b>Collisions.</b> Two different names with the same 64-bit hash are treated as one entry
 * (and a slot keeps only the hash's high bits: see {@code PackedTable} for why that costs no more).
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
 * <p><b>Memory.</b> 8 bytes per slot, at least 4/3 slots per entry (a power of two), no strings:
 * the synthetic 5,000,000-line feed of {@code benchmarks/} (4.9 million distinct names plus their
 * unlisted parent suffixes) takes 2^24 slots, 128 MiB; the whole snapshot holds about 28 bytes per
 * entry, and about 24 for the UT1 feed (588,000 entries). While building, {@link IndexBuilder} keeps a growable
 * table of full keys (12 bytes per slot) and the names' bytes, both in G1-region-sized pieces
 * (never copied by a young collection); both are dropped when the index is built. See {@code benchmarks/README.md} for the measured figures.
 */
public final class HostIndex {
  /** Returned by {@link #lookup} when the host cannot be read as a host name. */
  public static final int UNREADABLE = -1;

  private final CategorySets<?> sets;
  private final int domainEntries;
  private final PackedTable domains;
  private final PackedTable urlHosts;
  private final String[][] urlPrefixes;
  private final int[][] urlSets;
  private final int urlEntries;

  HostIndex(CategorySets<?> sets, int domainEntries, PackedTable domains, PackedTable urlHosts,
      String[][] urlPrefixes, int[][] urlSets, int urlEntries) {
    this.sets = sets;
    this.domainEntries = domainEntries;
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
    return domainEntries;
  }

  /** Distinct URL entries. */
  public int urlCount() {
    return urlEntries;
  }

  /** Heap bytes of the domain and URL-host tables (not the URL path strings or the sets). */
  public long tableBytes() {
    return domains.bytes() + urlHosts.bytes();
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
    char last = host.charAt(n - 1);
    if (last <= '9' || last == ']' || host.charAt(0) == '[') {
      return lookupGeneral(host, pathAndQuery); // an address, a port, a trailing dot
    }
    // The common case in one right-to-left pass: a name, maybe in upper case, that stops at the
    // first suffix with nothing listed below it.
    String path = pathAndQuery == null ? "" : pathAndQuery;
    boolean withUrls = urlEntries > 0;
    int found = CategorySets.EMPTY;
    int fromUrls = CategorySets.EMPTY;
    long h = HostHash.SEED;
    for (int i = n - 1; i >= 0; i--) {
      char c = host.charAt(i);
      if (c == '.') {
        long key = HostHash.finish(h);
        int v = domains.get(key);
        if (v >= 2) {
          found = v >>> 1;
        }
        if (withUrls && v >= 0) {
          fromUrls = matchUrls(key, path, fromUrls);
        }
        if (v < 0 || (v & 1) == 0) { // absent, or nothing listed below this suffix
          return plainBefore(host, i) ? result(found, fromUrls) : lookupGeneral(host, pathAndQuery);
        }
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      } else if (c >= 0x80 || c == ':') {
        return lookupGeneral(host, pathAndQuery);
      }
      h = HostHash.step(h, c);
    }
    long key = HostHash.finish(h);
    int v = domains.get(key);
    if (v >= 2) {
      found = v >>> 1;
    }
    if (withUrls && v >= 0) {
      fromUrls = matchUrls(key, path, fromUrls);
    }
    return result(found, fromUrls);
  }

  /**
   * True when a {@code urls} entry names {@code host} (normalised: lower case, no port, no
   * trailing dot, as a CONNECT's parsed host is) or one of its parent domains: the host has
   * path-level entries that only decrypting its tunnels can apply. One hash probe per label
   * boundary; allocates nothing. False for an IP literal and for any host with no URL entries.
   */
  public boolean hasUrlEntries(String host) {
    int n = host == null ? 0 : host.length();
    if (urlEntries == 0 || n == 0) {
      return false;
    }
    long h = HostHash.SEED;
    for (int i = n - 1; i >= 0; i--) {
      char c = host.charAt(i);
      if (c >= 0x80 || c == ':' || c == ']') {
        return false;
      }
      if (c == '.' && urlHosts.get(HostHash.finish(h)) >= 0) {
        return true;
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      h = HostHash.step(h, c);
    }
    return urlHosts.get(HostHash.finish(h)) >= 0;
  }

  private int result(int found, int fromUrls) {
    return fromUrls == CategorySets.EMPTY ? found : sets.union(found, fromUrls);
  }

  /**
   * True when {@code host} before {@code end} has nothing that needs the general path (a non-ASCII
   * character or a colon), so a lookup that stopped early is the answer.
   */
  private static boolean plainBefore(String host, int end) {
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (c >= 0x80 || c == ':') {
        return false;
      }
    }
    return true;
  }

  /** Any host: strips brackets, a port and a trailing dot; addresses match exactly. */
  private int lookupGeneral(String host, String pathAndQuery) {
    int n = host.length();
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
    if (endsInNumber(host, start, end)) {
      exact = true; // an IPv4 address (a name may end in a digit: www.server1 is below server1)
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
        int v = domains.get(key);
        if (v >= 2) {
          found = v >>> 1;
        }
        if (urlEntries > 0) {
          fromUrls = matchUrls(key, path, fromUrls);
        }
      }
      h = HostHash.step(h, c);
    }
    long key = HostHash.finish(h);
    int v = domains.get(key);
    if (v >= 2) {
      found = v >>> 1;
    }
    if (urlEntries > 0) {
      fromUrls = matchUrls(key, path, fromUrls);
    }
    return sets.union(found, fromUrls);
  }

  /**
   * WHATWG's "ends in a number" on {@code host[start, end)}: its last label is all digits, or
   * {@code 0x} and hex digits. Such a host is an IPv4 address (or invalid), never a name with
   * parent domains. Allocates nothing.
   */
  static boolean endsInNumber(CharSequence host, int start, int end) {
    int label = end;
    while (label > start && host.charAt(label - 1) != '.') {
      label--;
    }
    if (label == end) {
      return false;
    }
    boolean hex = end - label >= 2 && host.charAt(label) == '0' && (host.charAt(label + 1) | 0x20) == 'x';
    for (int i = hex ? label + 2 : label; i < end; i++) {
      char c = host.charAt(i);
      boolean digit = (c >= '0' && c <= '9') || (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f');
      if (!digit) {
        return false;
      }
    }
    return true;
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
    return lookupGeneral(normal, path);
  }
}
