package org.schoolgate.policy.compile;

import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Unblock;

/**
 * A small direct-mapped cache of the allows that unblocks produced, keyed by the identity of the
 * block they lifted and of the unblock, so a site unblocked for a class is not given a new
 * {@link Decision} (and reason sentence) on every request. Owned by one
 * {@link PolicyWithUnblocks}, so it never outlives the policy or the unblocks it was built from.
 * Benign races as in {@link SetRules}: entries are immutable and a lost write only costs a rebuild.
 */
final class UnblockDecisions {
  private static final int SIZE = 256;

  private record Entry(Decision blocked, Unblock unblock, Decision allowed) {}

  private final Entry[] entries = new Entry[SIZE];

  /** The allow built earlier for this block lifted by this unblock, or null. */
  Decision get(Decision blocked, Unblock unblock) {
    Entry e = entries[slot(blocked, unblock)];
    return e != null && e.blocked == blocked && e.unblock == unblock ? e.allowed : null;
  }

  void put(Decision blocked, Unblock unblock, Decision allowed) {
    entries[slot(blocked, unblock)] = new Entry(blocked, unblock, allowed);
  }

  private static int slot(Decision blocked, Unblock unblock) {
    return (System.identityHashCode(blocked) * 31 + System.identityHashCode(unblock)) & (SIZE - 1);
  }
}
