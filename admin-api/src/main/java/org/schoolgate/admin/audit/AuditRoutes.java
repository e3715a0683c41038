package org.schoolgate.admin.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;

/**
 * The audit trail for governors and staff: {@code GET /api/v1/audit} (JSON, paged by
 * {@code after}), {@code GET /api/v1/audit.csv} (the same filter as a CSV download) and
 * {@code GET /api/v1/audit/verify} (walks the hash chain).
 *
 * <p>Filters: {@code from}, {@code to} (local time in the policy's zone or ISO-8601 with an
 * offset), {@code actor} (exact name), {@code type} (a prefix such as {@code unblock.}),
 * {@code after} (a sequence number), {@code limit} (1-10000, default 100; CSV default 10000).
 *
 * <p>Records about alerts and incidents show their safeguarding details only to dsl and
 * senior-leader; other roles get them redacted ({@link AuditRedaction}), in JSON and CSV alike.
 * Verification runs over the stored records, so it answers the same for every role.
 */
public final class AuditRoutes {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 10_000;

  private final AuditTrail audit;
  private final PolicyHolder holder;
  private final Clock clock;

  public AuditRoutes(AuditTrail audit, PolicyHolder holder, Clock clock) {
    this.audit = audit;
    this.holder = holder;
    this.clock = clock;
  }

  /** A page of records; {@code next} is the {@code after} for the next page, or null at the end. */
  record Page(List<RecordView> records, Long next) {}

  /** One record as the caller may see it; {@code redacted}: reason and states withheld from this role. */
  record RecordView(long seq, Instant at, String type, String actor, String address, String target, String reason,
      String before, String after, String prevHash, String hash, boolean redacted) {
    static RecordView of(AuditRecord stored, AuditRedaction redaction) {
      AuditRecord r = redaction.apply(stored);
      return new RecordView(r.seq(), r.at(), r.type(), r.actor(), r.address(), r.target(), r.reason(), r.before(),
          r.after(), r.prevHash(), r.hash(), redaction.hides(stored));
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Verified(boolean valid, Long records, String head, Long seq, String problem) {}

  public void list(Context ctx) {
    AuditTrail.Query query = query(ctx, DEFAULT_LIMIT);
    AuditRedaction redaction = AuditRedaction.forCaller(Caller.of(ctx));
    List<AuditRecord> records = audit.query(query);
    Long next = records.size() == query.limit() ? records.get(records.size() - 1).seq() : null;
    ctx.json(new Page(records.stream().map(r -> RecordView.of(r, redaction)).toList(), next));
  }

  public void csv(Context ctx) {
    AuditTrail.Query query = query(ctx, MAX_LIMIT);
    AuditRedaction redaction = AuditRedaction.forCaller(Caller.of(ctx));
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"schoolgate-audit.csv\"");
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      audit.exportCsv(query, out, redaction::apply);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the audit CSV failed", e);
    }
  }

  public void verify(Context ctx) {
    AuditTrail.Verification v = audit.verify();
    if (v instanceof AuditTrail.Verification.Valid ok) {
      ctx.json(new Verified(true, ok.records(), ok.head(), null, null));
    } else {
      AuditTrail.Verification.Broken broken = (AuditTrail.Verification.Broken) v;
      ctx.json(new Verified(false, null, null, broken.seq(), broken.problem()));
    }
  }

  private AuditTrail.Query query(Context ctx, int defaultLimit) {
    Instant from = time(ctx, "from");
    Instant to = time(ctx, "to");
    if (from != null && to != null && !to.isAfter(from)) {
      throw ApiException.invalid("to", "to " + to + " is not after from " + from + " (expected: a later time)");
    }
    long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) number(ctx, "limit", defaultLimit, 1, MAX_LIMIT);
    return new AuditTrail.Query(from, to, blankToNull(ctx.queryParam("actor")),
        blankToNull(ctx.queryParam("type")), after, limit);
  }

  private Instant time(Context ctx, String field) {
    String text = ctx.queryParam(field);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Inputs.at(text, holder.current().timezone(), clock, field);
    } catch (InputException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
  }

  private static long number(Context ctx, String field, long absent, long min, long max) {
    String text = ctx.queryParam(field);
    if (text == null || text.isBlank()) {
      return absent;
    }
    try {
      long n = Long.parseLong(text.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(field, field + " '" + text + "' is not a number from " + min + " to " + max);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
