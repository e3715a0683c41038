package org.schoolgate.admin.console.home;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.console.safeguarding.IncidentRow;
import org.schoolgate.admin.console.unblock.UnblockRow;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.Role;
import org.schoolgate.store.UnblockStatus;

/**
 * {@code GET /}: what needs this person now. Approvers: pending requests; the DSL and senior
 * leaders: open incidents and unacknowledged alerts; anyone with incidents assigned: those;
 * requesters: their latest requests; governors: the audit chain's state. Each block shows only for
 * the roles it concerns, so a teacher's home is about their own requests.
 */
public final class HomePage {
  private static final int SHOWN = 5;

  private final View view;
  private final Console.Services s;

  public HomePage(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** The home page's model: null blocks are not shown. */
  public record HomeModel(String name, List<UnblockRow> toDecide, Integer toDecideCount, List<IncidentRow> incidents,
      Integer openIncidents, Integer unacknowledgedAlerts, List<UnblockRow> mine, String chain, boolean chainValid,
      boolean nothing) {}

  public void show(Context ctx) {
    Caller caller = Caller.of(ctx);
    ZoneId zone = s.holder().current().timezone();
    Instant now = s.clock().instant();
    boolean approver = caller.has(Role.TECHNICIAN) || caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
    boolean safeguarding = caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
    boolean requester = approver || caller.has(Role.TEACHER);

    List<UnblockRow> toDecide = null;
    Integer toDecideCount = null;
    if (approver) {
      List<UnblockRow> all = s.unblocks().list(caller, UnblockStatus.PENDING).stream()
          .filter(r -> !r.requestedById().equals(caller.account().id()))
          .filter(r -> !r.request().bypass() || caller.has(Role.SENIOR_LEADER))
          .filter(r -> !r.request().sensitive() || safeguarding)
          .map(r -> UnblockRow.of(r, zone, now)).toList();
      toDecideCount = all.size();
      toDecide = all.subList(0, Math.min(SHOWN, all.size()));
    }
    IncidentStore.Viewer viewer = new IncidentStore.Viewer(caller.actor(), safeguarding);
    List<IncidentRow> open = s.store().incidents().list(IncidentStore.Query.recent(200), viewer).stream()
        .filter(i -> !i.closed()).map(i -> IncidentRow.of(i, zone)).toList();
    Integer alerts = safeguarding
        ? s.store().alerts().list(new AlertStore.Query(Alert.Audience.DSL, true, 1000)).size() : null;
    List<UnblockRow> mine = null;
    if (requester) {
      mine = s.unblocks().list(caller, null).stream()
          .filter(r -> r.requestedById().equals(caller.account().id()))
          .filter(r -> r.status() == UnblockStatus.PENDING || r.status() == UnblockStatus.APPROVED
              || r.requestedAt().isAfter(now.minus(java.time.Duration.ofDays(7))))
          .limit(SHOWN).map(r -> UnblockRow.of(r, zone, now)).toList();
    }
    String chain = null;
    boolean chainValid = false;
    if (caller.has(Role.GOVERNOR) || caller.has(Role.ADMIN)) {
      AuditTrail.Verification v = s.store().audit().verify();
      chainValid = v instanceof AuditTrail.Verification.Valid;
      chain = chainValid ? "The audit trail's hash chain is intact (" + ((AuditTrail.Verification.Valid) v).records()
          + " records)." : "The audit trail's hash chain is BROKEN: " + v + ". Tell the technician and the DSL.";
    }
    boolean nothing = (toDecideCount == null || toDecideCount == 0) && open.isEmpty()
        && (alerts == null || alerts == 0) && (mine == null || mine.isEmpty()) && chain == null;
    view.render(ctx, "home.jte", view.page(ctx, "Home"), new HomeModel(caller.account().displayName(), toDecide,
        toDecideCount, open.subList(0, Math.min(SHOWN, open.size())), open.size(), alerts, mine, chain, chainValid,
        nothing));
  }
}
