package org.schoolgate.policy.compile;

import org.schoolgate.policy.Decision;

/**
 * What a category set needs for deciding: where its first illegal, block-list and allow-list
 * members are, and a cache of prebuilt decisions per (group, deciding member, allow/block).
 *
 * <p>The cache is filled lazily with benign races: two threads may build the same decision and
 * one wins; {@link Decision} records have only final fields, so a reader that sees a reference
 * sees a complete object. Its size is fixed at {@code groups × members × 2}, so the number of
 * decisions stays bounded by the sets the lists contain.
 */
final class SetRules {
  final int illegal;
  final int block;
  final int allow;
  final Decision[] decisions;

  SetRules(int illegal, int block, int allow, int slots) {
    this.illegal = illegal;
    this.block = block;
    this.allow = allow;
    this.decisions = new Decision[slots];
  }
}
