package org.schoolgate.admin.health;

/**
 * One thing {@code /healthz} reports on, e.g. the proxy, the store, the access log. The admin API
 * defines the contract and {@code deploy} implements it over the other modules' signals.
 *
 * <pre>{@code
 * HealthCheck store = HealthCheck.of("store", () -> db.probe() instanceof StoreProbe.Unusable u
 *     ? CheckResult.degraded("the database cannot be written: " + u.problem())
 *     : CheckResult.ok("takes writes"));
 * }</pre>
 */
public interface HealthCheck {

  /**
   * The check's name: lower-case letters, digits and dashes, unique among the checks. It is the
   * key in {@code /healthz} and the {@code check} tag of {@code schoolgate.health}, so the set of
   * names is fixed when the admin API starts.
   */
  String name();

  /**
   * Looks and answers. Runs on the health monitor's threads, never a request thread; it may block
   * briefly (a database round trip), and the monitor reports a check that does not answer within
   * its timeout as degraded. An exception it throws is reported as degraded too.
   */
  CheckResult check();

  /** A check named {@code name} that runs {@code check}. */
  static HealthCheck of(String name, java.util.function.Supplier<CheckResult> check) {
    java.util.Objects.requireNonNull(check, "check");
    HealthChecks.requireName(name);
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check() {
        return check.get();
      }

      @Override
      public String toString() {
        return "HealthCheck[" + name + "]";
      }
    };
  }
}
