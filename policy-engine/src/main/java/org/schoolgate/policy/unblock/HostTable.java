package org.schoolgate.policy.unblock;

import java.util.List;
import java.util.Map;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.url.UrlParser;

/**
 * Domain and URL-prefix unblocks keyed by their host, looked up by every label-boundary suffix of
 * the request host in one right-to-left pass: {@code a.b.example.com} probes {@code com},
 * {@code example.com}, {@code b.example.com} and {@code a.b.example.com}.
 *
 * <p>Keys are 64-bit hashes of the host computed from its last character to its first (FNV-1a,
 * then a bit mixer), so the running hash at each dot is the key of the suffix to its right. The
 * table is open-addressed ({@code long[]} keys, linear probing, at most half full); a hit is
 * confirmed by comparing the stored host with the suffix in place, case-insensitively, so a hash
 * collision can never unblock the wrong site. ASCII hosts in any case, with a trailing dot or a
 * {@code :port}, are read in place without allocating; IP addresses match exactly, never by
 * suffix. Only a host that needs real normalisation (non-ASCII, percent-escapes, IPv6 when some
 * unblock names an IPv6 address) is normalised with {@link UrlParser}, which allocates.
 */
final class HostTable {
  private static final long SEED = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private final long[] keys;
  private final int[] slots;
  private final String[] names;
  private final ScopedUnblock[][] unblocks;
  private final boolean ipv6Names;
  private final int mask;

  /** @param byHost normalised host → its unblocks, best first */
  HostTable(Map<String, List<ScopedUnblock>> byHost) {
    int size = Integer.highestOneBit(Math.max(1, byHost.size()) * 2) * 2;
    this.keys = new long[size];
    this.slots = new int[size];
    this.mask = size - 1;
    this.names = new String[byHost.size()];
    this.unblocks = new ScopedUnblock[byHost.size()][];
    boolean v6 = false;
    int n = 0;
    for (Map.Entry<String, List<ScopedUnblock>> e : byHost.entrySet()) {
      String name = e.getKey();
      v6 |= name.indexOf(':') >= 0;
      names[n] = name;
      unblocks[n] = e.getValue().toArray(new ScopedUnblock[0]);
      long key = hash(name);
      int i = (int) key & mask;
      while (keys[i] != 0) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      slots[i] = n;
      n++;
    }
    this.ipv6Names = v6;
  }

  boolean isEmpty() {
    return names.length == 0;
  }

  /** The best unblock in force for the request's host (and path), or null. */
  ScopedUnblock find(RequestFacts facts) {
    return names.length == 0 ? null : find(facts.host(), facts, true);
  }

  private ScopedUnblock find(String host, RequestFacts facts, boolean mayNormalise) {
    int n = host.length();
    if (n == 0) {
      return null;
    }
    int end = n;
    int colon = host.indexOf(':');
    if (host.charAt(0) == '[' || (colon >= 0 && host.indexOf(':', colon + 1) >= 0)) {
      // an IPv6 address: only worth normalising when some unblock names one
      return ipv6Names && mayNormalise ? normalised(host, facts) : ipv6Names ? exact(host, 0, n, facts) : null;
    }
    if (colon >= 0) {
      end = colon;
    }
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    if (end == 0) {
      return null;
    }
    char last = host.charAt(end - 1);
    boolean address = last >= '0' && last <= '9'; // no top-level domain ends in a digit: IPv4
    ScopedUnblock best = null;
    long h = SEED;
    for (int i = end - 1; i >= 0; i--) {
      char c = host.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      } else if (c >= 0x80 || c == '%') {
        return mayNormalise ? normalised(host, facts) : null;
      } else if (c == '.' && !address) {
        best = probe(finish(h), host, i + 1, end, facts, best);
      }
      h = step(h, c);
    }
    return probe(finish(h), host, 0, end, facts, best);
  }

  private ScopedUnblock normalised(String host, RequestFacts facts) {
    String normal;
    try {
      normal = UrlParser.normalizeHost(host);
    } catch (IllegalArgumentException e) {
      return null; // unreadable: the policy blocks it (fail closed) before unblocks are asked
    }
    return normal.indexOf(':') >= 0 ? exact(normal, 0, normal.length(), facts) : find(normal, facts, false);
  }

  private ScopedUnblock exact(String host, int from, int end, RequestFacts facts) {
    long h = SEED;
    for (int i = end - 1; i >= from; i--) {
      char c = host.charAt(i);
      h = step(h, c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return probe(finish(h), host, from, end, facts, null);
  }

  /** Looks up {@code host[from, end)}; returns the better of its best applicable unblock and {@code best}. */
  private ScopedUnblock probe(long key, String host, int from, int end, RequestFacts facts, ScopedUnblock best) {
    for (int i = (int) key & mask; keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] != key) {
        continue;
      }
      int slot = slots[i];
      String name = names[slot];
      int length = end - from;
      if (name.length() != length || !host.regionMatches(true, from, name, 0, length)) {
        continue; // a hash collision
      }
      for (ScopedUnblock u : unblocks[slot]) { // best first: the first that applies wins here
        if (u.appliesTo(facts)) {
          return best == null || ScopedUnblock.BEST_FIRST.compare(u, best) < 0 ? u : best;
        }
      }
      return best;
    }
    return best;
  }

  static long hash(String name) {
    long h = SEED;
    for (int i = name.length() - 1; i >= 0; i--) {
      h = step(h, name.charAt(i));
    }
    return finish(h);
  }

  private static long step(long state, char c) {
    return (state ^ c) * PRIME;
  }

  /** Spreads the bits (MurmurHash3's 64-bit finaliser); never 0, which marks an empty slot. */
  private static long finish(long state) {
    long h = state;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
