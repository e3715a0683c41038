package org.schoolgate.policy.index;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.lists.Entries;

/**
 * Collects list entries per category while a policy is compiled, then builds the immutable
 * {@link HostIndex}. Not thread-safe; used by one compiling thread.
 *
 * <pre>{@code
 * IndexBuilder b = new IndexBuilder(sets);
 * b.addDomain("bet365.com", gamblingIndex);
 * HostIndex index = b.build();
 * }</pre>
 *
 * <p>Domains are kept as their 64-bit {@link HostHash} keys in a primitive table from the start,
 * never in a map of strings: the only per-name data kept until {@link #build} is the name's bytes
 * in a {@link NameArena} (about one byte per character), used once to fold each entry's listed
 * parent domains into its set and to mark every suffix that has listed names below it (see
 * {@link HostIndex}, "Stopping early"). Of the domains, nothing but one primitive array survives
 * the build.
 */
public final class IndexBuilder {
  /** Flag on a builder value: some listed name or URL host lies below this name. */
  private static final int CONTINUES = 1 << 30;

  private final CategorySets<?> sets;
  private final LongIntTable domains = new LongIntTable(1 << 16);
  private final LongIntTable withMemo = new LongIntTable(1 << 8);
  private NameArena names = new NameArena();
  private final Map<String, Map<String, Integer>> urls = new LinkedHashMap<>();
  private int urlEntries;
  private int domainEntries;
  private boolean built;

  public IndexBuilder(CategorySets<?> sets) {
    this.sets = sets;
  }

  /** Adds a normalised domain to a category; false when the category already had it. */
  public boolean addDomain(String domain, int category) {
    checkOpen();
    long key = HostHash.of(domain);
    int current = domains.get(key);
    int from = current < 0 ? CategorySets.EMPTY : current;
    int to = with(from, category);
    if (to == from && current >= 0) {
      return false;
    }
    domains.put(key, to);
    if (current < 0) {
      domainEntries++;
      if (hasParents(domain)) {
        names.add(domain);
      }
    }
    return true;
  }

  /** True for a name with a label-boundary suffix that may be listed: ASCII, dotted, not an address. */
  private static boolean hasParents(String domain) {
    int n = domain.length();
    if (n > 255 || HostIndex.endsInNumber(domain, 0, n) || domain.indexOf('.') < 0 || domain.indexOf(':') >= 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (domain.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Adds a URL entry to a category; false when the category already had it. */
  public boolean addUrl(Entries.UrlEntry entry, int category) {
    checkOpen();
    Map<String, Integer> byPrefix = urls.computeIfAbsent(entry.host(), h -> new LinkedHashMap<>());
    Integer current = byPrefix.get(entry.pathPrefix());
    int from = current == null ? CategorySets.EMPTY : current;
    int to = with(from, category);
    if (to == from && current != null) {
      return false;
    }
    if (current == null) {
      urlEntries++;
    }
    byPrefix.put(entry.pathPrefix(), to);
    return true;
  }

  private int with(int set, int category) {
    long key = ((long) (set + 1) << 32) | category;
    int memo = withMemo.get(key);
    if (memo >= 0) {
      return memo;
    }
    int result = sets.with(set, category);
    withMemo.put(key, result);
    return result;
  }

  private void checkOpen() {
    if (built) {
      throw new IllegalStateException("index already built (expected: a new IndexBuilder per compile)");
    }
  }

  /** Builds the index, once; each domain's set includes the sets of its listed parent domains. */
  public HostIndex build() {
    checkOpen();
    built = true;
    if (sets.size() >= CONTINUES >>> 1) {
      throw new IllegalStateException("category sets : " + sets.size() + " (expected: < 2^29)");
    }
    foldParents();
    markAncestors();
    names = null;
    PackedTable domainTable = PackedTable.of(domains, sets.size() * 2 - 1,
        v -> ((v & ~CONTINUES) << 1) | (v >>> 30));
    LongIntTable urlTable = new LongIntTable(urls.size());
    List<String[]> prefixes = new ArrayList<>();
    List<int[]> ids = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> e : urls.entrySet()) {
      long key = HostHash.of(e.getKey());
      String[] p = e.getValue().keySet().toArray(new String[0]);
      int[] s = e.getValue().values().stream().mapToInt(Integer::intValue).toArray();
      int slot = urlTable.get(key);
      if (slot >= 0) {
        // Two hosts with the same 64-bit hash (see HostIndex): one slot holds both.
        String[] oldP = prefixes.get(slot);
        int[] oldS = ids.get(slot);
        String[] mp = Arrays.copyOf(oldP, oldP.length + p.length);
        System.arraycopy(p, 0, mp, oldP.length, p.length);
        int[] ms = Arrays.copyOf(oldS, oldS.length + s.length);
        System.arraycopy(s, 0, ms, oldS.length, s.length);
        prefixes.set(slot, mp);
        ids.set(slot, ms);
      } else {
        urlTable.put(key, prefixes.size());
        prefixes.add(p);
        ids.add(s);
      }
    }
    return new HostIndex(sets, domainEntries, domainTable, PackedTable.of(urlTable, Math.max(0, prefixes.size() - 1)),
        prefixes.toArray(new String[0][]), ids.toArray(new int[0][]), urlEntries);
  }

  /**
   * Marks every label-boundary suffix of a listed name or URL host as one that has listed names
   * below it ({@link #CONTINUES}), adding it with the empty set if it is not listed itself, and
   * adds each URL host with the empty set if it is not a listed domain. A lookup stops at the
   * first suffix that is absent or has nothing below it.
   */
  private void markAncestors() {
    names.forEach(this::markSuffixes);
    for (String host : urls.keySet()) {
      long key = HostHash.of(host);
      if (domains.get(key) < 0) {
        domains.put(key, CategorySets.EMPTY);
      }
      if (hasParents(host)) {
        byte[] ascii = host.getBytes(StandardCharsets.US_ASCII);
        markSuffixes(ascii, 0, ascii.length);
      }
    }
  }

  private void markSuffixes(byte[] bytes, int offset, int length) {
    long h = HostHash.SEED;
    for (int i = offset + length - 1; i >= offset; i--) {
      char c = (char) bytes[i];
      if (c == '.') {
        long key = HostHash.finish(h);
        int v = domains.get(key);
        if (v < 0) {
          domains.put(key, CONTINUES | CategorySets.EMPTY);
        } else if ((v & CONTINUES) == 0) {
          domains.put(key, v | CONTINUES);
        }
      }
      h = HostHash.step(h, c);
    }
  }

  /**
   * Unions into each named entry's set the sets of its listed label-boundary suffixes. Entries
   * are updated in place in any order: a parent's set may already include its own parents', which
   * are parents of the child too, so the result is the same.
   */
  private void foldParents() {
    names.forEach((bytes, offset, length) -> {
      long h = HostHash.SEED;
      int parents = CategorySets.EMPTY;
      for (int i = offset + length - 1; i >= offset; i--) {
        char c = (char) bytes[i];
        if (c == '.') {
          int set = domains.get(HostHash.finish(h));
          if (set >= 0) {
            parents = sets.union(parents, set);
          }
        }
        h = HostHash.step(h, c);
      }
      if (parents != CategorySets.EMPTY) {
        long key = HostHash.finish(h);
        domains.put(key, sets.union(domains.get(key), parents));
      }
    });
  }
}
