package org.schoolgate.store;

import java.util.Objects;

/**
 * One change to record.
 *
 * @param type dotted event type, e.g. {@code unblock.approved}, {@code policy.reloaded},
 *     {@code lists.updated}, {@code login.failed}, {@code account.roles_changed}, {@code history.viewed}
 * @param actor who
 * @param target what was changed, e.g. {@code unblock:12}, {@code account:alice}, {@code policy}
 * @param reason why (may be empty)
 * @param before JSON (or text) of the state before, or null
 * @param after JSON (or text) of the state after, or null
 */
public record AuditEntry(String type, Actor actor, String target, String reason, String before, String after) {
  public AuditEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(target, "target");
    reason = reason == null ? "" : reason;
  }
}
