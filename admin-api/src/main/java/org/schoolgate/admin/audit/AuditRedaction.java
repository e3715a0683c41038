package org.schoolgate.admin.audit;

import org.schoolgate.admin.auth.Caller;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.Role;

/**
 * What a reader of the audit trail may see of a record. Records about alerts and incidents
 * ({@code alert.*}, {@code incident.*}) hold safeguarding details — a pupil's search term, who
 * it was, the DSL's notes and outcomes — in their reason and before/after states. Only the roles
 * that may open alerts and incidents (dsl, senior-leader) see those fields; everyone else sees
 * that the record exists: its sequence number, time, type, actor, address, target ({@code
 * incident:12}, a reference the incident routes check roles for) and hashes, with the reason
 * replaced by {@value #REDACTED} and no states. The stored record is unchanged, so the chain
 * verifies for every role, and records written before this rule existed are redacted alike.
 */
final class AuditRedaction {
  static final String REDACTED = "(safeguarding details: shown to the DSL and senior leaders only)";

  private final boolean seesSafeguarding;

  private AuditRedaction(boolean seesSafeguarding) {
    this.seesSafeguarding = seesSafeguarding;
  }

  /** The redaction for {@code caller}'s roles. */
  static AuditRedaction forCaller(Caller caller) {
    return new AuditRedaction(caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER));
  }

  /** True when {@code type} is a record about an alert or an incident. */
  static boolean safeguarding(String type) {
    return type.startsWith("alert.") || type.startsWith("incident.");
  }

  /** True when this reader does not see {@code r}'s details. */
  boolean hides(AuditRecord r) {
    return !seesSafeguarding && safeguarding(r.type());
  }

  /** {@code r} as this reader may see it. */
  AuditRecord apply(AuditRecord r) {
    if (!hides(r)) {
      return r;
    }
    return new AuditRecord(r.seq(), r.at(), r.type(), r.actor(), r.address(), r.target(), REDACTED, null, null,
        r.prevHash(), r.hash());
  }
}
