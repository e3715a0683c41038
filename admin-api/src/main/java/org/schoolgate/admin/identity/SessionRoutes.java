package org.schoolgate.admin.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.SessionEvent;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.policy.model.Subnet;

/**
 * {@code POST /api/v1/identity/sessions {user, address?, until? | minutes?}}: the address (the
 * caller's own when absent) is the user's until then; {@code DELETE
 * /api/v1/identity/sessions?address=A&user=U}: it is not any more (with {@code user}, only if it
 * is still that user's). Only callers in a reporter network may name another address than their
 * own. The binding table takes the change at once; its thread writes it to the database.
 */
public final class SessionRoutes {
  static final String EXPECTED_USER = "the user's sign-in name, e.g. alice, SCHOOL\\alice or alice@school.example";
  static final String EXPECTED_ADDRESS = "the client's IP address, e.g. 10.20.4.17 (default: the caller's own)";

  private final BindingTable table;
  private final SessionSettings settings;
  private final SessionAudit audit;
  private final AdminMetrics metrics;
  private final ObjectMapper mapper;
  private final Clock clock;

  /** The address-binding table these routes write (the guest-voucher routes end bindings in it too). */
  public BindingTable bindings() {
    return table;
  }

  public SessionRoutes(BindingTable table, SessionSettings settings, SessionAudit audit, AdminMetrics metrics,
      ObjectMapper mapper, Clock clock) {
    this.table = table;
    this.settings = settings;
    this.audit = audit;
    this.metrics = metrics;
    this.mapper = mapper;
    this.clock = clock;
  }

  record Started(String user, String address, String method, Instant until) {}

  record Ended(boolean ended, String address, String user) {}

  public void start(Context ctx) {
    Caller caller = Caller.of(ctx);
    try {
      JsonBody body = JsonBody.parse(mapper, ctx.body());
      String user = user(body.text("user", EXPECTED_USER), "user");
      InetAddress address = address(ctx, caller, body.optionalText("address", EXPECTED_ADDRESS));
      Instant until = until(body);
      table.bind(address, new AddressBinding(user, Set.of(), AuthMethod.SESSION, until),
          "session:" + caller.account().username());
      metrics.session(SessionEvent.STARTED);
      audit.started(caller, user, address.getHostAddress(), until);
      ctx.status(HttpStatus.CREATED).json(new Started(user, address.getHostAddress(), "session", until));
    } catch (ApiException e) {
      metrics.session(SessionEvent.REFUSED);
      audit.refused(caller);
      throw e;
    }
  }

  public void end(Context ctx) {
    Caller caller = Caller.of(ctx);
    try {
      String rawUser = ctx.queryParam("user");
      String user = rawUser == null || rawUser.isBlank() ? null : user(rawUser, "user");
      InetAddress address = address(ctx, caller, ctx.queryParam("address"));
      AddressBinding ended = table.end(address, user);
      metrics.session(ended == null ? SessionEvent.NOT_FOUND : SessionEvent.ENDED);
      if (ended != null) {
        audit.ended(caller);
      }
      ctx.json(new Ended(ended != null, address.getHostAddress(), ended == null ? user : ended.user()));
    } catch (ApiException e) {
      metrics.session(SessionEvent.REFUSED);
      audit.refused(caller);
      throw e;
    }
  }

  private String user(String raw, String field) {
    try {
      return settings.userNames().normalise(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, field + ": " + e.getMessage());
    }
  }

  private InetAddress address(Context ctx, Caller caller, String text) {
    InetAddress from = literal(caller.address());
    if (text == null || text.isBlank()) {
      return from;
    }
    InetAddress address;
    try {
      Subnet one = Subnet.parse(text);
      if (one.prefix() != one.network().length * 8) {
        throw new IllegalArgumentException("'" + text + "' is a network, not one address");
      }
      address = InetAddress.getByAddress(one.network());
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw ApiException.invalid("address", "address: " + e.getMessage() + " (expected: " + EXPECTED_ADDRESS + ")");
    }
    if (!address.equals(from) && settings.reporters().stream().noneMatch(n -> n.contains(from))) {
      throw new ApiException(HttpStatus.FORBIDDEN, "not_a_reporter", "this caller (" + from.getHostAddress()
          + ") may report only its own address, not " + address.getHostAddress() + "; a Wi-Fi controller or MDM"
          + " that reports for others needs its network in identity.sessions.reporters", "address");
    }
    return address;
  }

  private Instant until(JsonBody body) {
    Instant now = clock.instant();
    String until = body.optionalText("until", "an ISO-8601 time such as 2026-11-23T15:30:00Z");
    Long minutes = body.optionalLong("minutes", "a whole number of minutes such as 480");
    if (until != null && minutes != null) {
      throw ApiException.invalid("until", "give until or minutes, not both");
    }
    Instant end;
    String field;
    if (minutes != null) {
      field = "minutes";
      if (minutes < 1) {
        throw ApiException.invalid(field, "minutes is " + minutes + " (expected: at least 1)");
      }
      end = now.plus(Duration.ofMinutes(Math.min(minutes, settings.maxLength().toMinutes() + 1)));
    } else if (until != null) {
      field = "until";
      try {
        end = Instant.parse(until);
      } catch (DateTimeParseException e) {
        throw ApiException.invalid(field, "until '" + until + "' is not a time (expected: ISO-8601 with a zone,"
            + " e.g. 2026-11-23T15:30:00Z)");
      }
      if (!end.isAfter(now)) {
        throw ApiException.invalid(field, "until " + end + " is not in the future (now: "
            + now.truncatedTo(ChronoUnit.SECONDS) + ")");
      }
    } else {
      return now.plus(settings.defaultLength());
    }
    if (end.isAfter(now.plus(settings.maxLength()))) {
      throw ApiException.invalid(field, field + " is more than " + human(settings.maxLength())
          + " away (expected: at most identity.sessions.max-length; the logoff script or the next logon ends it sooner)");
    }
    return end;
  }

  private static InetAddress literal(String address) {
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    try {
      return InetAddress.getByAddress(Subnet.parse(a).network());
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalStateException("the server gave a caller address that is not an IP literal: " + address, e);
    }
  }

  private static String human(Duration d) {
    return d.toDays() > 0 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toMinutes() + " minutes";
  }
}
