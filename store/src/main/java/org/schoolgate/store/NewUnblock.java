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
 */
public record NewUnblock(
    UnblockTarget target, UnblockScope scope, Instant from, Instant until, String reason,
    boolean sensitive, String categories) {
  public NewUnblock {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(reason, "reason");
    categories = categories == null ? "" : categories;
  }

  public boolean bypass() {
    return target instanceof UnblockTarget.Everything;
  }
}
