package org.schoolgate.identity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.Verification;

/**
 * The identity module's one meter catalogue, registered at start against the injected registry.
 * Tags come from the fixed enums below — never a user name, group or address.
 *
 * <ul>
 *   <li>{@code schoolgate.identity.verifications{method,outcome}}: credential checks and group
 *       look-ups answered (method basic, negotiate, session, radius, portal; outcome verified,
 *       refused, unavailable)
 *   <li>{@code schoolgate.identity.refusals{reason}}: refused credentials by {@link Verification.Refusal}
 *   <li>{@code schoolgate.identity.cache{result}}: hit, miss (a load started), joined (waited for a
 *       load another request started)
 *   <li>{@code schoolgate.identity.directory.calls{source,outcome}}: calls to the directory, KDC data
 *       or local accounts (source ldap, kerberos, local; outcome ok, failed, timeout, circuit-open)
 *   <li>{@code schoolgate.identity.directory.latency{source}}: how long those calls took
 *   <li>{@code schoolgate.identity.rejected}: checks refused because the executor's queue was full
 *   <li>{@code schoolgate.identity.nesting.cut{reason}}: group walks cut short (depth, cycle)
 *   <li>{@code schoolgate.identity.cached.users}: verified credentials held (gauge)
 *   <li>{@code schoolgate.identity.circuit.open}: 1 while the directory's circuit is open (gauge)
 * </ul>
 */
public final class IdentityMetrics {
  /** How a check ended. */
  public enum Outcome { VERIFIED, REFUSED, UNAVAILABLE }

  /** A cache look-up. */
  public enum CacheResult { HIT, MISS, JOINED }

  /** Who was asked. */
  public enum Source { LDAP, KERBEROS, LOCAL }

  /** How a call to a source ended. */
  public enum CallOutcome { OK, FAILED, TIMEOUT, CIRCUIT_OPEN }

  /** Why a group walk stopped early. */
  public enum Cut { DEPTH, CYCLE }

  private final MeterRegistry registry;
  private final Map<AuthMethod, Map<Outcome, Counter>> verifications = new EnumMap<>(AuthMethod.class);
  private final Map<Verification.Refusal, Counter> refusals = new EnumMap<>(Verification.Refusal.class);
  private final Map<CacheResult, Counter> cache = new EnumMap<>(CacheResult.class);
  private final Map<Source, Map<CallOutcome, Counter>> calls = new EnumMap<>(Source.class);
  private final Map<Source, Timer> latency = new EnumMap<>(Source.class);
  private final Map<Cut, Counter> cuts = new EnumMap<>(Cut.class);
  private final Counter rejected;

  public IdentityMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (AuthMethod m : AuthMethod.values()) {
      if (m == AuthMethod.SUBNET) {
        continue;
      }
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(o, Counter.builder("schoolgate.identity.verifications")
            .description("credential checks and group look-ups answered").tag("method", m.logName())
            .tag("outcome", tag(o)).register(registry));
      }
      verifications.put(m, byOutcome);
    }
    for (Verification.Refusal r : Verification.Refusal.values()) {
      refusals.put(r, Counter.builder("schoolgate.identity.refusals").description("refused credentials by reason")
          .tag("reason", r.tag()).register(registry));
    }
    for (CacheResult c : CacheResult.values()) {
      cache.put(c, Counter.builder("schoolgate.identity.cache").description("verification cache look-ups")
          .tag("result", tag(c)).register(registry));
    }
    for (Source s : Source.values()) {
      Map<CallOutcome, Counter> byOutcome = new EnumMap<>(CallOutcome.class);
      for (CallOutcome o : CallOutcome.values()) {
        byOutcome.put(o, Counter.builder("schoolgate.identity.directory.calls")
            .description("calls to the directory, KDC data or local accounts").tag("source", tag(s))
            .tag("outcome", tag(o)).register(registry));
      }
      calls.put(s, byOutcome);
      latency.put(s, Timer.builder("schoolgate.identity.directory.latency")
          .description("how long directory calls took").tag("source", tag(s)).register(registry));
    }
    for (Cut c : Cut.values()) {
      cuts.put(c, Counter.builder("schoolgate.identity.nesting.cut")
          .description("nested group walks cut short").tag("reason", tag(c)).register(registry));
    }
    rejected = Counter.builder("schoolgate.identity.rejected")
        .description("checks refused because the identity executor's queue was full").register(registry);
  }

  /** Registers the gauges of the cache size and the circuit state. */
  public void gauges(DoubleSupplier cachedUsers, DoubleSupplier circuitOpen) {
    Gauge.builder("schoolgate.identity.cached.users", cachedUsers, DoubleSupplier::getAsDouble)
        .description("verified credentials held").register(registry);
    Gauge.builder("schoolgate.identity.circuit.open", circuitOpen, DoubleSupplier::getAsDouble)
        .description("1 while the directory's circuit breaker is open").register(registry);
  }

  public void verification(AuthMethod method, Verification v) {
    Map<Outcome, Counter> byOutcome = verifications.get(method);
    if (byOutcome == null) {
      return;
    }
    if (v instanceof Verification.Verified) {
      byOutcome.get(Outcome.VERIFIED).increment();
    } else if (v instanceof Verification.Refused r) {
      byOutcome.get(Outcome.REFUSED).increment();
      refusals.get(r.refusal()).increment();
    } else {
      byOutcome.get(Outcome.UNAVAILABLE).increment();
    }
  }

  public void refusal(Verification.Refusal refusal) {
    refusals.get(refusal).increment();
  }

  public void cache(CacheResult result) {
    cache.get(result).increment();
  }

  public void call(Source source, CallOutcome outcome, long nanos) {
    calls.get(source).get(outcome).increment();
    if (nanos >= 0) {
      latency.get(source).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  public void cut(Cut cut) {
    cuts.get(cut).increment();
  }

  public void rejected() {
    rejected.increment();
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
