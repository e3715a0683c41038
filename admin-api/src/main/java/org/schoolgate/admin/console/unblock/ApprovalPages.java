package org.schoolgate.admin.console.unblock;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.View;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.Role;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;

/**
 * The approvers' pages: {@code GET /approvals} (pending requests with reason, scope, period,
 * categories and the sensitive flag; approve or deny with a comment), {@code POST
 * /approvals/{id}/approve|deny}, {@code GET /unblocks} (in force, with time left) and {@code POST
 * /unblocks/{id}/revoke}. Each row says whether this account may decide it (not its own request;
 * sensitive: dsl or senior-leader; a filter bypass: senior-leader); the workflow checks again.
 */
public final class ApprovalPages {
  private final View view;
  private final Console.Services s;

  public ApprovalPages(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** A pending request and whether the viewer may decide it (else why not). */
  public record Pending(UnblockRow row, String cannotDecide) {}

  public record InboxModel(List<Pending> pending) {}

  public record InForceModel(List<UnblockRow> inForce) {}

  public void inbox(Context ctx) {
    Caller caller = Caller.of(ctx);
    ZoneId zone = s.holder().current().timezone();
    Instant now = s.clock().instant();
    List<Pending> rows = s.unblocks().list(caller, UnblockStatus.PENDING).stream()
        .map(r -> new Pending(UnblockRow.of(r, zone, now), whyNot(r, caller))).toList();
    view.render(ctx, "unblock/approvals.jte", view.page(ctx, "Approvals"), new InboxModel(rows));
  }

  /** Null when {@code caller} may decide {@code r}, else the reason, in the workflow's terms. */
  static String whyNot(UnblockRecord r, Caller caller) {
    if (r.requestedById().equals(caller.account().id())) {
      return "You asked for this one; someone else decides it.";
    }
    if (r.request().bypass() && !caller.has(Role.SENIOR_LEADER)) {
      return "A filter bypass is decided by a senior leader.";
    }
    if (r.request().sensitive() && !(caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER))) {
      return "A sensitive category is decided by the DSL or a senior leader.";
    }
    return null;
  }

  public void approve(Context ctx) {
    UnblockRecord r = s.unblocks().approve(id(ctx), Caller.of(ctx), note(ctx));
    Flash.success(ctx, "Approved request " + r.id().value() + " (" + r.request().target().text() + ") for "
        + r.requestedBy() + ". It is in force now.");
    ctx.redirect("/approvals", HttpStatus.SEE_OTHER);
  }

  public void deny(Context ctx) {
    UnblockRecord r = s.unblocks().deny(id(ctx), Caller.of(ctx), note(ctx));
    Flash.success(ctx, "Denied request " + r.id().value() + " (" + r.request().target().text() + ").");
    ctx.redirect("/approvals", HttpStatus.SEE_OTHER);
  }

  public void inForce(Context ctx) {
    Caller caller = Caller.of(ctx);
    ZoneId zone = s.holder().current().timezone();
    Instant now = s.clock().instant();
    List<UnblockRow> rows = s.unblocks().list(caller, UnblockStatus.APPROVED).stream()
        .filter(r -> now.isBefore(r.request().until()))
        .map(r -> UnblockRow.of(r, zone, now)).toList();
    view.render(ctx, "unblock/in-force.jte", view.page(ctx, "Unblocks in force"), new InForceModel(rows));
  }

  public void revoke(Context ctx) {
    UnblockRecord r = s.unblocks().revoke(id(ctx), Caller.of(ctx), note(ctx));
    Flash.success(ctx, "Revoked unblock " + r.id().value() + " (" + r.request().target().text() + "). It no longer applies.");
    ctx.redirect("/unblocks", HttpStatus.SEE_OTHER);
  }

  private static UnblockId id(Context ctx) {
    return new UnblockId(AuthRoutes.pathId(ctx));
  }

  private static String note(Context ctx) {
    String note = ctx.formParam("note");
    return note == null ? "" : note.strip();
  }
}
