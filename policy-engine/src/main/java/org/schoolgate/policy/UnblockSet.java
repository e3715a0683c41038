package org.schoolgate.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.policy.unblock.UnblockIndex;

/**
 * The approved unblocks and filter bypasses in force, compiled for deciding: immutable, built off
 * the request path and published with {@link PolicyHolder#setUnblocks}. A request that would
 * otherwise be blocked is allowed when an unblock applies to it: {@code from <= at < until}, its group, user or
 * client address in the scope, and its host (domain and subdomains, or a URL prefix), one of its
 * categories, or everything (a filter bypass) targeted. Illegal categories are never lifted. An
 * unblock stops applying at its {@code until} by itself; the set is recompiled later only to drop
 * it.
 *
 * <pre>{@code
 * UnblockSet set = UnblockSet.compile(List.of(new Unblock(new UnblockId(12),
 *     new UnblockTarget.Domain("bet365.com"), new UnblockScope(Set.of(new GroupId("ks3-4")), Set.of(), List.of()),
 *     from, until, "mrs.jones", "mr.khan", "Year 10 statistics project on odds")));
 * holder.setUnblocks(set);
 * }</pre>
 *
 * <p>Lookups find candidates by host suffix, by category or in the short bypass list, never by
 * scanning every unblock, and allocate nothing when none applies.
 */
public final class UnblockSet {
  /** No unblocks. */
  public static final UnblockSet EMPTY = new UnblockSet(List.of(), UnblockIndex.build(List.of()));

  private final List<Unblock> unblocks;
  private final UnblockIndex index;

  private UnblockSet(List<Unblock> unblocks, UnblockIndex index) {
    this.unblocks = unblocks;
    this.index = index;
  }

  /**
   * Compiles {@code unblocks} (any order; expired ones may be included and never apply).
   *
   * @throws IllegalArgumentException when two unblocks share an id, or a subnet, host or URL path
   *     cannot be read; the message names the unblock and what was expected
   */
  public static UnblockSet compile(Collection<Unblock> unblocks) {
    Objects.requireNonNull(unblocks, "unblocks");
    List<Unblock> sorted = new ArrayList<>(unblocks.size());
    Set<UnblockId> ids = new HashSet<>();
    for (Unblock u : unblocks) {
      Objects.requireNonNull(u, "unblocks contains null (expected: only unblocks)");
      if (!ids.add(u.id())) {
        throw new IllegalArgumentException("unblock " + u.id() + " appears twice (expected: each unblock once)");
      }
      sorted.add(u);
    }
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    sorted.sort(Comparator.comparingLong(u -> u.id().value()));
    return new UnblockSet(List.copyOf(sorted), UnblockIndex.build(sorted));
  }

  /** How many unblocks the set holds (expired ones included until it is recompiled). */
  public int size() {
    return unblocks.size();
  }

  /** True when the set holds no unblocks. */
  public boolean isEmpty() {
    return unblocks.isEmpty();
  }

  /** The unblocks, in id order. */
  public List<Unblock> unblocks() {
    return unblocks;
  }

  /**
   * The domain or URL-prefix unblock that applies to the request (host, path, time, scope), or
   * null; when several apply, the one in force longest (then the newest). Ignores whether the
   * request would be blocked or is illegal: that is {@link PolicySnapshot#decide}'s business.
   */
  public Unblock forHost(RequestFacts facts) {
    return index.forHost(facts);
  }

  /** The unblock of {@code category} that applies to the request (time, scope), or null. */
  public Unblock forCategory(CategoryId category, RequestFacts facts) {
    return index.forCategory(category, facts);
  }

  /** True when some unblock targets a category. */
  public boolean hasCategoryTargets() {
    return index.hasCategoryTargets();
  }

  /** The filter bypass that applies to the request (time, scope), or null. */
  public Unblock bypassFor(RequestFacts facts) {
    return index.bypassFor(facts);
  }

  @Override
  public String toString() {
    return "UnblockSet[" + unblocks.size() + " unblocks]";
  }
}
