package org.schoolgate.identity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.ToIntFunction;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.Verification;

/**
 * Every meter of the identity module, registered once against an injected registry. Tags come
 * from the enums below and {@link AuthMethod}: never a user, an address or a NAS name.
 *
 * <ul>
 *   <li>{@code schoolgate.identity.bindings{method}}: bindings in force (gauge)
 *   <li>{@code schoolgate.identity.binding.changes{method,change}}: bound, ended, expired
 *   <li>{@code schoolgate.identity.binding.journal{outcome}}: changes written to the database,
 *       dropped (the write queue was full), failed batches (retried), applied from other nodes
 *   <li>{@code schoolgate.radius.packets{outcome}}: every datagram on the accounting port, by what
 *       became of it
 *   <li>{@code schoolgate.identity.verifications{method,outcome}}: proxy credential checks and group
 *       look-ups answered (method basic, negotiate, session, radius, portal; outcome verified,
 *       refused, unavailable)
 *   <li>{@code schoolgate.identity.refusals{reason}}: refused credentials by {@link Verification.Refusal}
 *   <li>{@code schoolgate.identity.cache{result}}: hit, miss (a load started), joined (waited for a
 *       load another request started)
 *   <li>{@code schoolgate.identity.directory.calls{source,outcome}}: calls to the directory, KDC data
 *       or local accounts (source ldap, kerberos, local; outcome ok, failed, timeout, circuit-open)
 *   <li>{@code schoolgate.identity.directory.latency{source}}: how long those calls took
 *   <li>{@code schoolgate.identity.rejected}: checks refused because the verifier's queue was full
 *   <li>{@code schoolgate.identity.nesting.cut{reason}}: group walks cut short (depth, cycle)
 *   <li>{@code schoolgate.identity.cached.users}: verified credentials held (gauge)
 *   <li>{@code schoolgate.identity.circuit.open}: 1 while the directory's circuit is open (gauge)
 * </ul>
 */
public final class IdentityMetrics {
  /** What happened to a binding. */
  public enum Change { BOUND, ENDED, EXPIRED }

  /** What happened to a change on its way to (or from) the journal. */
  public enum Journal { WRITTEN, DROPPED, FAILED, REMOTE }

  /** What became of a datagram on the RADIUS accounting port. */
  public enum Radius {
    /** Accounting-Start: the address is bound. */
    START,
    /** Interim-Update: the binding is renewed. */
    INTERIM,
    /** Stop: the binding ends. */
    STOP,
    /** Accounting-On/Off: the NAS restarted; its bindings end. */
    ACCOUNTING_ON_OFF,
    /** Another Acct-Status-Type: answered, nothing bound. */
    OTHER_STATUS,
    /** A machine account ({@code host/...}): answered, the address's binding ends. */
    MACHINE_ACCOUNT,
    /** No usable Framed-IP-Address / Framed-IPv6-Address: answered, nothing bound. */
    NO_ADDRESS,
    /** No usable User-Name: answered, nothing bound. */
    NO_USER,
    /** The Request Authenticator does not match the NAS's secret: dropped. */
    BAD_SECRET,
    /** From an address no {@code radius.clients} entry covers: dropped. */
    UNKNOWN_CLIENT,
    /** The same NAS, identifier and authenticator again within the replay window: answered, not applied. */
    REPLAYED,
    /** Not a RADIUS packet (too short, lengths that disagree): dropped. */
    MALFORMED,
    /** A RADIUS packet other than Accounting-Request: dropped. */
    UNSUPPORTED
  }

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

  private final Map<AuthMethod, Map<Outcome, Counter>> verifications = new EnumMap<>(AuthMethod.class);
  private final Map<Verification.Refusal, Counter> refusals = new EnumMap<>(Verification.Refusal.class);
  private final Map<CacheResult, Counter> cache = new EnumMap<>(CacheResult.class);
  private final Map<Source, Map<CallOutcome, Counter>> calls = new EnumMap<>(Source.class);
  private final Map<Source, Timer> latency = new EnumMap<>(Source.class);
  private final Map<Cut, Counter> cuts = new EnumMap<>(Cut.class);
  private final Counter rejected;
  private final Map<AuthMethod, Map<Change, Counter>> changes = new EnumMap<>(AuthMethod.class);
  private final Map<Journal, Counter> journal = new EnumMap<>(Journal.class);
  private final Map<Radius, Counter> radius = new EnumMap<>(Radius.class);
  private final MeterRegistry registry;

  public IdentityMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (AuthMethod method : new AuthMethod[] {AuthMethod.SESSION, AuthMethod.RADIUS, AuthMethod.PORTAL}) {
      Map<Change, Counter> byChange = new EnumMap<>(Change.class);
      for (Change change : Change.values()) {
        byChange.put(change, Counter.builder("schoolgate.identity.binding.changes")
            .tag("method", method.logName()).tag("change", tag(change))
            .description("Address bindings made, ended and expired, by how the person was identified")
            .register(registry));
      }
      changes.put(method, byChange);
    }
    for (Journal outcome : Journal.values()) {
      journal.put(outcome, Counter.builder("schoolgate.identity.binding.journal").tag("outcome", tag(outcome))
          .description("Binding changes written to the database, dropped, failed (retried) or applied from other nodes")
          .register(registry));
    }
    for (Radius outcome : Radius.values()) {
      radius.put(outcome, Counter.builder("schoolgate.radius.packets").tag("outcome", tag(outcome))
          .description("Datagrams on the RADIUS accounting port, by what became of them").register(registry));
    }
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

  /** Meters on a private registry (tests, tools). */
  public static IdentityMetrics unregistered() {
    return new IdentityMetrics(new SimpleMeterRegistry());
  }

  /** Registers the {@code schoolgate.identity.bindings{method}} gauges, read from {@code count}. */
  public <T> void bindingsInForce(T table, ToIntFunction<AuthMethod> count) {
    for (AuthMethod method : changes.keySet()) {
      Gauge.builder("schoolgate.identity.bindings", table, t -> count.applyAsInt(method))
          .tag("method", method.logName()).description("Address bindings in force, by how the person was identified")
          .register(registry);
    }
  }

  public void change(AuthMethod method, Change change) {
    Map<Change, Counter> byChange = changes.get(method);
    if (byChange != null) {
      byChange.get(change).increment();
    }
  }

  public void journal(Journal outcome, int n) {
    journal.get(outcome).increment(n);
  }

  public void radius(Radius outcome) {
    radius.get(outcome).increment();
  }

  /** The count so far (tests and benchmarks). */
  public double radiusCount(Radius outcome) {
    return radius.get(outcome).count();
  }

  /** The count so far (tests and benchmarks). */
  public double journalCount(Journal outcome) {
    return journal.get(outcome).count();
  }

  /** The count so far (tests). */
  public double changeCount(AuthMethod method, Change change) {
    return changes.get(method).get(change).count();
  }

  /**
   * Registers the gauges of the cache size and the circuit state. The suppliers are usually lambdas
   * nothing else holds: the gauges keep them strongly (Micrometer's default weak reference let the
   * garbage collector take them, and the gauges read NaN).
   */
  public void gauges(DoubleSupplier cachedUsers, DoubleSupplier circuitOpen) {
    Gauge.builder("schoolgate.identity.cached.users", cachedUsers, DoubleSupplier::getAsDouble)
        .description("verified credentials held").strongReference(true).register(registry);
    Gauge.builder("schoolgate.identity.circuit.open", circuitOpen, DoubleSupplier::getAsDouble)
        .description("1 while the directory's circuit breaker is open").strongReference(true).register(registry);
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

  /** A verified answer given again for the same credentials (counted as a verification). */
  public void verifiedAgain(AuthMethod method) {
    Map<Outcome, Counter> byOutcome = verifications.get(method);
    if (byOutcome != null) {
      byOutcome.get(Outcome.VERIFIED).increment();
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
