package org.schoolgate.policy.index;

import java.util.ArrayList;
import java.util.HashMap;
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
 */
public final class IndexBuilder {
  private final CategorySets<?> sets;
  private final HashMap<String, Integer> domains = new HashMap<>(1 << 16);
  private final Map<String, Map<String, Integer>> urls = new LinkedHashMap<>();
  private final HashMap<Long, Integer> withMemo = new HashMap<>();
  private int urlEntries;

  public IndexBuilder(CategorySets<?> sets) {
    this.sets = sets;
  }

  /** Adds a normalised domain to a category; false when the category already had it. */
  public boolean addDomain(String domain, int category) {
    Integer current = domains.get(domain);
    int from = current == null ? CategorySets.EMPTY : current;
    int to = with(from, category);
    if (to == from && current != null) {
      return false;
    }
    domains.put(domain, to);
    return true;
  }

  /** Adds a URL entry to a category; false when the category already had it. */
  public boolean addUrl(Entries.UrlEntry entry, int category) {
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
    long key = ((long) set << 32) | category;
    Integer memo = withMemo.get(key);
    if (memo != null) {
      return memo;
    }
    int result = sets.with(set, category);
    withMemo.put(key, result);
    return result;
  }

  /** Builds the index; each domain's set includes the sets of its listed parent domains. */
  public HostIndex build() {
    LongIntTable.Builder table = new LongIntTable.Builder(domains.size());
    for (Map.Entry<String, Integer> e : domains.entrySet()) {
      String d = e.getKey();
      int set = e.getValue();
      char last = d.charAt(d.length() - 1);
      if (!(last >= '0' && last <= '9') && d.indexOf(':') < 0) {
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
          Integer parent = domains.get(d.substring(dot + 1));
          if (parent != null) {
            set = sets.union(set, parent);
          }
        }
      }
      int old = table.put(HostHash.of(d), set);
      if (old >= 0) {
        // Two names with the same 64-bit hash (see HostIndex): keep both sets.
        table.put(HostHash.of(d), sets.union(old, set));
      }
    }
    LongIntTable.Builder urlTable = new LongIntTable.Builder(urls.size());
    List<String[]> prefixes = new ArrayList<>();
    List<int[]> ids = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> e : urls.entrySet()) {
      long key = HostHash.of(e.getKey());
      int slot = urlTable.put(key, prefixes.size());
      String[] p = e.getValue().keySet().toArray(new String[0]);
      int[] s = e.getValue().values().stream().mapToInt(Integer::intValue).toArray();
      if (slot >= 0) {
        // Same-hash hosts: append to the existing slot.
        String[] oldP = prefixes.get(slot);
        int[] oldS = ids.get(slot);
        String[] mp = java.util.Arrays.copyOf(oldP, oldP.length + p.length);
        System.arraycopy(p, 0, mp, oldP.length, p.length);
        int[] ms = java.util.Arrays.copyOf(oldS, oldS.length + s.length);
        System.arraycopy(s, 0, ms, oldS.length, s.length);
        prefixes.set(slot, mp);
        ids.set(slot, ms);
        urlTable.put(key, slot);
      } else {
        prefixes.add(p);
        ids.add(s);
      }
    }
    return new HostIndex(sets, table.build(), urlTable.build(), prefixes.toArray(new String[0][]),
        ids.toArray(new int[0][]), urlEntries);
  }
}
