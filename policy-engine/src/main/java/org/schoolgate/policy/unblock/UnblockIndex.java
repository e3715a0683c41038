package org.schoolgate.policy.unblock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.policy.lists.Entries;
import org.schoolgate.policy.url.UrlParser;

/**
 * The engine's index of approved unblocks (use it through {@link org.schoolgate.policy.UnblockSet}).
 * Each query returns the unblock in force for a request — its time window holds the request's
 * time and its scope holds the request's group, user or client address — or null, and allocates
 * nothing when none applies. When several apply, the one in force longest wins, then the newest.
 */
public final class UnblockIndex {
  private static final ScopedUnblock[] NONE = new ScopedUnblock[0];

  private final HostTable hosts;
  private final Map<String, ScopedUnblock[]> categories;
  private final ScopedUnblock[] bypasses;

  private UnblockIndex(HostTable hosts, Map<String, ScopedUnblock[]> categories, ScopedUnblock[] bypasses) {
    this.hosts = hosts;
    this.categories = categories;
    this.bypasses = bypasses;
  }

  /**
   * Compiles {@code unblocks}.
   *
   * @throws IllegalArgumentException when a subnet, host or path of an unblock cannot be read,
   *     with a message naming the unblock and what was expected
   */
  public static UnblockIndex build(List<Unblock> unblocks) {
    Map<String, List<ScopedUnblock>> byHost = new LinkedHashMap<>();
    Map<String, List<ScopedUnblock>> byCategory = new HashMap<>();
    List<ScopedUnblock> bypasses = new ArrayList<>();
    for (Unblock u : unblocks) {
      UnblockTarget t = u.target();
      if (t instanceof UnblockTarget.Domain d) {
        byHost.computeIfAbsent(host(u, d.host()), k -> new ArrayList<>()).add(new ScopedUnblock(u, null));
      } else if (t instanceof UnblockTarget.UrlPrefix p) {
        byHost.computeIfAbsent(host(u, p.host()), k -> new ArrayList<>()).add(new ScopedUnblock(u, path(u, p.path())));
      } else if (t instanceof UnblockTarget.Category c) {
        byCategory.computeIfAbsent(c.category().value(), k -> new ArrayList<>()).add(new ScopedUnblock(u, null));
      } else {
        bypasses.add(new ScopedUnblock(u, null));
      }
    }
    byHost.values().forEach(l -> l.sort(ScopedUnblock.BEST_FIRST));
    Map<String, ScopedUnblock[]> categories = new HashMap<>();
    byCategory.forEach((k, l) -> {
      l.sort(ScopedUnblock.BEST_FIRST);
      categories.put(k, l.toArray(NONE));
    });
    bypasses.sort(ScopedUnblock.BEST_FIRST);
    return new UnblockIndex(new HostTable(byHost), Map.copyOf(categories), bypasses.toArray(NONE));
  }

  /** The domain or URL-prefix unblock in force for the request's host (and path), or null. */
  public Unblock forHost(RequestFacts facts) {
    ScopedUnblock u = hosts.find(facts);
    return u == null ? null : u.unblock;
  }

  /** The category unblock in force for {@code category} and the request, or null. */
  public Unblock forCategory(CategoryId category, RequestFacts facts) {
    if (categories.isEmpty()) {
      return null;
    }
    ScopedUnblock[] list = categories.get(category.value());
    if (list != null) {
      for (ScopedUnblock u : list) {
        if (u.appliesTo(facts)) {
          return u.unblock;
        }
      }
    }
    return null;
  }

  /** The filter bypass in force for the request, or null. */
  public Unblock bypassFor(RequestFacts facts) {
    for (ScopedUnblock u : bypasses) {
      if (u.appliesTo(facts)) {
        return u.unblock;
      }
    }
    return null;
  }

  /** True when some unblock targets a category. */
  public boolean hasCategoryTargets() {
    return !categories.isEmpty();
  }

  private static String host(Unblock u, String host) {
    String normal = Entries.domain(host);
    if (normal == null) {
      throw new IllegalArgumentException("unblock " + u.id() + ": '" + host
          + "' is not a host name (expected: e.g. example.com)");
    }
    return normal;
  }

  private static String path(Unblock u, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("unblock " + u.id() + ": URL path '" + path
          + "' does not start with '/' (expected: e.g. /games/)");
    }
    return UrlParser.normalizePath(path);
  }
}
