package org.schoolgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.schoolgate.policy.UnblockId;

/**
 * Unblock requests. Each state change and its audit record are written in one transaction, so a
 * crash leaves both or neither. Business rules (four eyes, sensitive approvers, illegal targets,
 * maximum length) are the admin API's; this store enforces the state machine: only a PENDING
 * request can be approved, denied or cancelled, only an APPROVED one revoked or expired.
 *
 * <p>Approving a filter bypass also raises a {@code filter-bypass} alert for the DSL ({@link
 * AlertStore}, audited as {@code alert.raised}) in the same transaction.
 *
 * @see UnblockStatus
 */
public interface UnblockStore {

  /** Stores a PENDING request; audited as {@code unblock.requested}. */
  UnblockRecord request(NewUnblock request, Actor requester);

  /**
   * PENDING → APPROVED; audited as {@code unblock.approved} (or {@code bypass.approved}). A request
   * {@link NewUnblock#fromApproval() from approval} starts now and keeps its length.
   */
  UnblockRecord approve(UnblockId id, Actor approver, String note);

  /** PENDING → DENIED; audited as {@code unblock.denied}. */
  UnblockRecord deny(UnblockId id, Actor approver, String note);

  /** PENDING → CANCELLED by the requester; audited as {@code unblock.cancelled}. */
  UnblockRecord cancel(UnblockId id, Actor requester, String note);

  /** APPROVED → REVOKED, ending it at once; audited as {@code unblock.revoked}. */
  UnblockRecord revoke(UnblockId id, Actor actor, String note);

  /**
   * Marks every APPROVED unblock with {@code until <= now} EXPIRED (audited as {@code
   * unblock.expired}, actor {@code system:expiry}) and returns them. Idempotent.
   */
  List<UnblockRecord> expireDue(Instant now);

  Optional<UnblockRecord> get(UnblockId id);

  /** Newest first. */
  List<UnblockRecord> list(Query query);

  /** APPROVED and {@code until > now}: what the engine should apply. */
  List<UnblockRecord> inForce(Instant now);

  /**
   * A number that changes whenever any unblock changes state (e.g. the highest audit sequence
   * touching unblocks), so another node can poll cheaply for changes.
   */
  long version();

  /**
   * @param status only this status, or null for all
   * @param requestedBy only this requester, or null
   * @param limit at most this many (1-1000)
   */
  record Query(UnblockStatus status, AccountId requestedBy, int limit) {
    public static Query all() {
      return new Query(null, null, 1000);
    }
  }
}
