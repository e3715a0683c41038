package org.schoolgate.store;

import java.time.Instant;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;

/**
 * An unblock request and what happened to it.
 *
 * @param decidedBy who approved or denied (null while pending)
 * @param endedBy who revoked it, or {@code system:expiry} (null while in force)
 */
public record UnblockRecord(
    UnblockId id, NewUnblock request, UnblockStatus status, String requestedBy, AccountId requestedById,
    Instant requestedAt, String decidedBy, Instant decidedAt, String decisionNote, String endedBy,
    Instant endedAt) {

  /** The engine's view, for an {@code UnblockSet}; only meaningful when approved. */
  public Unblock toUnblock() {
    return new Unblock(id, request.target(), request.scope(), request.from(), request.until(), requestedBy,
        decidedBy, request.reason());
  }
}
