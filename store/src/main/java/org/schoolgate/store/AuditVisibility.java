package org.schoolgate.store;

/**
 * Which audit records hold safeguarding details, and what other readers see of them. Records
 * about alerts, incidents and looks at a person's activity ({@code alert.*}, {@code incident.*},
 * {@code history.*}) name pupils, search terms and the DSL's notes in their reason and
 * before/after states. Only the DSL and senior leaders read those fields; any other reader sees
 * that the record exists — its sequence number, time, type, actor, address, target and hashes —
 * with the reason replaced by {@value #REDACTED} and no states. The stored record is unchanged,
 * so the chain verifies the same for every reader.
 */
public final class AuditVisibility {
  /** What a redacted record's reason reads. */
  public static final String REDACTED = "(safeguarding details: shown to the DSL and senior leaders only)";

  private AuditVisibility() {}

  /** True when records of {@code type} hold safeguarding details. */
  public static boolean safeguarding(String type) {
    return type.startsWith("alert.") || type.startsWith("incident.") || type.startsWith("history.");
  }

  /** {@code r} with its details withheld when it holds safeguarding details; else {@code r}. */
  public static AuditRecord redact(AuditRecord r) {
    if (!safeguarding(r.type())) {
      return r;
    }
    return new AuditRecord(r.seq(), r.at(), r.type(), r.actor(), r.address(), r.target(), REDACTED, null, null,
        r.prevHash(), r.hash());
  }
}
