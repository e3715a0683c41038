package org.schoolgate.admin.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.store.Role;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.store.Actor;
import org.schoolgate.store.GuestVoucher;
import org.schoolgate.store.GuestVoucherStore;

/**
 * {@code POST /api/v1/guest-vouchers {name, day?}}: a teacher or the office issues a guest voucher
 * for one school day (midnight to midnight in the policy's time zone; today by default, at most
 * {@value #DAYS_AHEAD} days ahead); the answer carries its code, shown this once. {@code GET}
 * lists the vouchers valid today or later, without codes. {@code DELETE /api/v1/guest-vouchers/{id}}
 * withdraws one (its issuer, or an admin for anyone's; audited by the store) and ends every device
 * binding made with it, so the next request from such a device is sent to the sign-in page again.
 */
public final class GuestVoucherRoutes {
  static final int DAYS_AHEAD = 30;

  private final GuestVoucherStore vouchers;
  private final PolicyHolder holder;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final BindingTable bindings;

  public GuestVoucherRoutes(GuestVoucherStore vouchers, PolicyHolder holder, ObjectMapper mapper, Clock clock,
      BindingTable bindings) {
    this.vouchers = vouchers;
    this.holder = holder;
    this.mapper = mapper;
    this.clock = clock;
    this.bindings = bindings;
  }

  /** The binding source the sign-in page records for a device signed in with voucher {@code id}. */
  public static String bindingSource(long id) {
    return "portal:voucher-" + id;
  }

  record Revoked(long id, boolean revoked, int devicesSignedOut) {}

  public void revoke(Context ctx) {
    Caller caller = Caller.of(ctx);
    String raw = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("id", "voucher id '" + raw + "' is not a number (expected: the id from GET"
          + " /api/v1/guest-vouchers)");
    }
    GuestVoucher v = vouchers.find(id).orElseThrow(() -> ApiException.notFound("there is no guest voucher " + id));
    if (!caller.has(Role.ADMIN) && !v.issuedBy().equals(caller.account().username())) {
      throw ApiException.forbidden("not-yours", "guest voucher " + id + " was issued by " + v.issuedBy()
          + "; only they or an admin can withdraw it");
    }
    if (v.revokedAt() != null) {
      throw ApiException.conflict("already-revoked", "guest voucher " + id + " was withdrawn at " + v.revokedAt());
    }
    boolean revoked = vouchers.revoke(id, Actor.of(caller.account(), caller.address()));
    int ended = bindings.endAllFrom(bindingSource(id));
    ctx.json(new Revoked(id, revoked, ended));
  }

  record Issued(long id, String name, String user, String code, Instant validFrom, Instant validUntil) {}

  public void issue(Context ctx) {
    Caller caller = Caller.of(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String name = body.text("name", "the guest's name, e.g. Jane Smith");
    String dayText = body.optionalText("day", "a date such as 2026-12-07 (default: today)");
    ZoneId zone = holder.current().timezone();
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    LocalDate day;
    try {
      day = dayText == null ? today : LocalDate.parse(dayText.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("day", "day '" + dayText + "' is not a date (expected: YYYY-MM-DD, e.g. " + today + ")");
    }
    if (day.isBefore(today) || day.isAfter(today.plusDays(DAYS_AHEAD))) {
      throw ApiException.invalid("day", "day " + day + " is not between today (" + today + ") and " + DAYS_AHEAD
          + " days ahead");
    }
    GuestVoucherStore.Issued issued = vouchers.issue(name, day.atStartOfDay(zone).toInstant(),
        day.plusDays(1).atStartOfDay(zone).toInstant(), Actor.of(caller.account(), caller.address()));
    GuestVoucher v = issued.voucher();
    ctx.status(HttpStatus.CREATED).json(new Issued(v.id(), v.guestName(), v.userName(), issued.code(), v.validFrom(),
        v.validUntil()));
  }

  public void list(Context ctx) {
    ZoneId zone = holder.current().timezone();
    ctx.json(vouchers.list(LocalDate.ofInstant(clock.instant(), zone).atStartOfDay(zone).toInstant()));
  }
}
