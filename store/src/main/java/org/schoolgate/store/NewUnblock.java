package org.schoolgate.store;

import java.time.Instant;
import java.util.Objects;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;

/**
 * An unblock request as submitted (already validated against the policy by the admin API).
 *
 * @param sensitive true when the target touches a category flagged sensitive (needs a dsl or
 *     senior-leader approver); decided by the admin API from the policy at request time
 * @param categories the categories the target was listed in at request time (text, for people)
 * @param fromApproval true for a request "for N minutes" (no start given): {@code from}/{@code
 *     until} are provisional, and approval moves the period to start at the approval, keeping its
 *     length; false when the period was asked for explicitly (it stays as asked)
 */
public record NewUnblock(
    UnblockTarget target, UnblockScope scope, Instant from, Instant until, String reason,
    boolean sensitive, String categories, boolean fromApproval) {
  public NewUnblock {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(reason, "reason");
    categories = categories == null ? "" : categories;
  }

  /** A request for an explicit period (it stays as asked). */
  public NewUnblock(UnblockTarget target, UnblockScope scope, Instant from, Instant until, String reason,
      boolean sensitive, String categories) {
    this(target, scope, from, until, reason, sensitive, categories, false);
  }

  /** This request with its period moved to start at {@code start}, keeping its length. */
  public NewUnblock startingAt(Instant start) {
    return new NewUnblock(target, scope, start, start.plus(java.time.Duration.between(from, until)), reason,
        sensitive, categories, fromApproval);
  }

  public boolean bypass() {
    return target instanceof UnblockTarget.Everything;
  }
}
