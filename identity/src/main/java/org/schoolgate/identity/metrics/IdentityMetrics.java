package org.schoolgate.identity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.schoolgate.identity.AuthMethod;

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

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
