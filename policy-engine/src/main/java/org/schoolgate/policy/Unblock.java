package org.schoolgate.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * An approved unblock (or filter bypass) as the engine applies it: in force for requests at
 * {@code from <= at < until} in {@code scope}. Compiled into an {@link UnblockSet}.
 *
 * @param requestedBy who asked (username), for the reason shown in logs
 * @param approvedBy who approved (username)
 * @param reason the requester's reason
 */
public record Unblock(
    UnblockId id, UnblockTarget target, UnblockScope scope, Instant from, Instant until,
    String requestedBy, String approvedBy, String reason) {
  public Unblock {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("unblock " + id + ": ends " + until + " before it starts " + from);
    }
  }

  /** True for a filter bypass. */
  public boolean bypass() {
    return target instanceof UnblockTarget.Everything;
  }
}
