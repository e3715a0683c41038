package org.schoolgate.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.admin.health.HealthChecks;
import org.schoolgate.admin.health.HealthMonitor;
import org.schoolgate.policy.PolicyHolder;

/**
 * The admin API's meter catalogue, registered once at start-up against the injected registry.
 * Tags come from the fixed enums below, never from user names, hosts or URLs.
 *
 * <ul>
 *   <li>{@code schoolgate.admin.logins{outcome}}: sign-in attempts by outcome ({@code locked-out}:
 *       refused without checking the password, the account being locked for that client address)
 *   <li>{@code schoolgate.admin.logins.slowed}: sign-in attempts answered late because the account
 *       had too many failures from all addresses together
 *   <li>{@code schoolgate.admin.forwarding.ignored{reason}}: forwarding headers not believed
 *       ({@code untrusted-peer}, {@code wrong-proxy-key}, {@code malformed})
 *   <li>{@code schoolgate.console.csrf.refused}: console form posts refused for a missing or wrong
 *       CSRF token
 *   <li>{@code schoolgate.console.forbidden}: console pages refused to a signed-in account for its
 *       roles
 *   <li>{@code schoolgate.unblocks.events{event}}: unblock requests and what happened to them
 *   <li>{@code schoolgate.unblocks.in_force}: unblocks the engine applies now
 *   <li>{@code schoolgate.identity.sessions{event}}: logon-session reports: started, ended,
 *       not-found (an end with nothing to end), refused
 *   <li>{@code schoolgate.oidc.sign_ins{purpose,outcome}}: OpenID Connect sign-ins ({@code device},
 *       {@code console}, {@code unknown} for a callback whose flow was not found) by outcome: signed-in, refused (token, domain, account), denied (at the
 *       provider), expired (the flow or the proxy's ticket ran out, a replayed state), unavailable
 *   <li>{@code schoolgate.oidc.tokens.refused{reason}}: ID tokens and claims refused, by reason
 *   <li>{@code schoolgate.oidc.provider.failures{call}}: calls to the provider that failed or
 *       timed out ({@code discovery}, {@code keys}, {@code token})
 *   <li>{@value #HEALTH}{@code {check}}: each health check's status, 0 ok, 1 degraded, 2 down;
 *       {@code check} is a check's name (fixed at start) or {@code overall} (the worst)
 * </ul>
 */
public final class AdminMetrics {
  /** The health gauge's name. */
  public static final String HEALTH = "schoolgate.health";

  /** How a sign-in ended. */
  public enum Login { SUCCESS, FAILED, LOCKED_OUT, SECOND_FACTOR_FAILED, SECOND_FACTOR_LOCKED_OUT, ENROLMENT_REQUIRED }

  /** Why a request's forwarding headers were not believed. */
  public enum ForwardingIgnored { UNTRUSTED_PEER, WRONG_PROXY_KEY, MALFORMED }

  /** What happened to an unblock request. */
  public enum UnblockEvent { REQUESTED, REFUSED_ILLEGAL, APPROVED, DENIED, CANCELLED, REVOKED, EXPIRED }

  /** What became of a logon-session report. */
  public enum SessionEvent { STARTED, ENDED, NOT_FOUND, REFUSED }

  /** What became of a sign-in on the device sign-in page (guests, personal devices). */
  public enum DeviceSignInEvent { SIGNED_IN, GUEST_SIGNED_IN, REFUSED, THROTTLED, UNAVAILABLE, NOT_HERE }

  /** What an OpenID Connect sign-in was for. */
  public enum OidcPurpose { DEVICE, CONSOLE, UNKNOWN }

  /** How an OpenID Connect sign-in ended. */
  public enum OidcOutcome { SIGNED_IN, REFUSED, DENIED, EXPIRED, UNAVAILABLE }

  /** Why an ID token (or the person it names) was refused. */
  public enum OidcRefusal { MALFORMED, SIGNATURE, ISSUER, AUDIENCE, EXPIRED, NONCE, NO_USER, DOMAIN, NO_ACCOUNT }

  /** A call to the OpenID Connect provider. */
  public enum OidcCall { DISCOVERY, KEYS, TOKEN }

  private final Map<OidcPurpose, Map<OidcOutcome, Counter>> oidcSignIns = new EnumMap<>(OidcPurpose.class);
  private final Map<OidcRefusal, Counter> oidcRefusals = new EnumMap<>(OidcRefusal.class);
  private final Map<OidcCall, Counter> oidcFailures = new EnumMap<>(OidcCall.class);
  private final Map<SessionEvent, Counter> sessions = new EnumMap<>(SessionEvent.class);
  private final Map<DeviceSignInEvent, Counter> deviceSignIns = new EnumMap<>(DeviceSignInEvent.class);
  private final Map<Login, Counter> logins = new EnumMap<>(Login.class);
  private final Map<UnblockEvent, Counter> unblocks = new EnumMap<>(UnblockEvent.class);
  private final Map<ForwardingIgnored, Counter> forwarding = new EnumMap<>(ForwardingIgnored.class);
  private final Counter slowed;
  private final Counter consoleCsrfRefused;
  private final Counter consoleForbidden;
  private final MeterRegistry registry;

  public AdminMetrics(MeterRegistry registry, PolicyHolder holder) {
    this.registry = registry;
    for (Login l : Login.values()) {
      logins.put(l, Counter.builder("schoolgate.admin.logins").description("sign-in attempts by outcome")
          .tag("outcome", tag(l)).register(registry));
    }
    slowed = Counter.builder("schoolgate.admin.logins.slowed")
        .description("sign-in attempts answered late: the account had too many failures from all addresses")
        .register(registry);
    consoleCsrfRefused = Counter.builder("schoolgate.console.csrf.refused")
        .description("console form posts refused for a missing or wrong CSRF token").register(registry);
    consoleForbidden = Counter.builder("schoolgate.console.forbidden")
        .description("console pages refused to a signed-in account for its roles").register(registry);
    for (ForwardingIgnored f : ForwardingIgnored.values()) {
      forwarding.put(f, Counter.builder("schoolgate.admin.forwarding.ignored")
          .description("forwarding headers the admin API did not believe, by reason").tag("reason", tag(f))
          .register(registry));
    }
    for (UnblockEvent e : UnblockEvent.values()) {
      unblocks.put(e, Counter.builder("schoolgate.unblocks.events")
          .description("unblock requests and what happened to them").tag("event", tag(e)).register(registry));
    }
    for (SessionEvent e : SessionEvent.values()) {
      sessions.put(e, Counter.builder("schoolgate.identity.sessions")
          .description("logon-session reports and what became of them").tag("event", tag(e)).register(registry));
    }
    for (DeviceSignInEvent e : DeviceSignInEvent.values()) {
      deviceSignIns.put(e, Counter.builder("schoolgate.identity.device_sign_ins")
          .description("sign-ins on the device sign-in page by outcome").tag("outcome", tag(e)).register(registry));
    }
    for (OidcPurpose p : OidcPurpose.values()) {
      Map<OidcOutcome, Counter> byOutcome = new EnumMap<>(OidcOutcome.class);
      for (OidcOutcome o : OidcOutcome.values()) {
        byOutcome.put(o, Counter.builder("schoolgate.oidc.sign_ins").description("OpenID Connect sign-ins by outcome")
            .tag("purpose", tag(p)).tag("outcome", tag(o)).register(registry));
      }
      oidcSignIns.put(p, byOutcome);
    }
    for (OidcRefusal r : OidcRefusal.values()) {
      oidcRefusals.put(r, Counter.builder("schoolgate.oidc.tokens.refused")
          .description("OpenID Connect ID tokens and the people they name refused, by reason").tag("reason", tag(r))
          .register(registry));
    }
    for (OidcCall c : OidcCall.values()) {
      oidcFailures.put(c, Counter.builder("schoolgate.oidc.provider.failures")
          .description("calls to the OpenID Connect provider that failed or timed out").tag("call", tag(c))
          .register(registry));
    }
    Gauge.builder("schoolgate.unblocks.in_force", holder, h -> h.unblocks().size())
        .description("unblocks the engine applies now").register(registry);
  }

  /** Registers one {@value #HEALTH} gauge per check of {@code monitor}, and the overall one. */
  public void health(HealthMonitor monitor) {
    for (String name : monitor.names()) {
      Gauge.builder(HEALTH, monitor, m -> m.report().results().get(name).status().gaugeValue())
          .description("health by check: 0 ok, 1 degraded, 2 down").tag("check", name).register(registry);
    }
    Gauge.builder(HEALTH, monitor, m -> m.report().status().gaugeValue())
        .description("health by check: 0 ok, 1 degraded, 2 down").tag("check", HealthChecks.OVERALL)
        .register(registry);
  }

  public void login(Login outcome) {
    logins.get(outcome).increment();
  }

  public void slowed() {
    slowed.increment();
  }

  public void consoleCsrfRefused() {
    consoleCsrfRefused.increment();
  }

  public void consoleForbidden() {
    consoleForbidden.increment();
  }

  public void forwardingIgnored(ForwardingIgnored reason) {
    forwarding.get(reason).increment();
  }

  public void deviceSignIn(DeviceSignInEvent event) {
    deviceSignIns.get(event).increment();
  }

  public void oidcSignIn(OidcPurpose purpose, OidcOutcome outcome) {
    oidcSignIns.get(purpose).get(outcome).increment();
  }

  public void oidcRefused(OidcRefusal reason) {
    oidcRefusals.get(reason).increment();
  }

  public void oidcProviderFailed(OidcCall call) {
    oidcFailures.get(call).increment();
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
