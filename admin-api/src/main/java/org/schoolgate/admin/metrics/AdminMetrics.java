package org.schoolgate.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.policy.PolicyHolder;

/**
 * The admin API's meter catalogue, registered once at start-up against the injected registry.
 * Tags come from the fixed enums below, never from user names, hosts or URLs.
 *
 * <ul>
 *   <li>{@code schoolgate.admin.logins{outcome}}: sign-in attempts by outcome
 *   <li>{@code schoolgate.unblocks.events{event}}: unblock requests and what happened to them
 *   <li>{@code schoolgate.unblocks.in_force}: unblocks the engine applies now
 *   <li>{@code schoolgate.identity.sessions{event}}: logon-session reports: started, ended,
 *       not-found (an end with nothing to end), refused
 * </ul>
 */
public final class AdminMetrics {
  /** How a sign-in ended. */
  public enum Login { SUCCESS, FAILED, LOCKED_OUT, SECOND_FACTOR_FAILED, SECOND_FACTOR_LOCKED_OUT, ENROLMENT_REQUIRED }

  /** What happened to an unblock request. */
  public enum UnblockEvent { REQUESTED, REFUSED_ILLEGAL, APPROVED, DENIED, CANCELLED, REVOKED, EXPIRED }

  /** What became of a logon-session report. */
  public enum SessionEvent { STARTED, ENDED, NOT_FOUND, REFUSED }

  private final Map<SessionEvent, Counter> sessions = new EnumMap<>(SessionEvent.class);
  private final Map<Login, Counter> logins = new EnumMap<>(Login.class);
  private final Map<UnblockEvent, Counter> unblocks = new EnumMap<>(UnblockEvent.class);

  public AdminMetrics(MeterRegistry registry, PolicyHolder holder) {
    for (Login l : Login.values()) {
      logins.put(l, Counter.builder("schoolgate.admin.logins").description("sign-in attempts by outcome")
          .tag("outcome", tag(l)).register(registry));
    }
    for (UnblockEvent e : UnblockEvent.values()) {
      unblocks.put(e, Counter.builder("schoolgate.unblocks.events")
          .description("unblock requests and what happened to them").tag("event", tag(e)).register(registry));
    }
    for (SessionEvent e : SessionEvent.values()) {
      sessions.put(e, Counter.builder("schoolgate.identity.sessions")
          .description("logon-session reports and what became of them").tag("event", tag(e)).register(registry));
    }
    Gauge.builder("schoolgate.unblocks.in_force", holder, h -> h.unblocks().size())
        .description("unblocks the engine applies now").register(registry);
  }

  public void login(Login outcome) {
    logins.get(outcome).increment();
  }

  public void session(SessionEvent event) {
    sessions.get(event).increment();
  }

  public void unblock(UnblockEvent event) {
    unblocks.get(event).increment();
  }

  public void unblocks(UnblockEvent event, int count) {
    unblocks.get(event).increment(count);
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
