package org.schoolgate.deploy.health;

import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreProbe;

/**
 * {@code store}: degraded when the database does not take a write (read-only, unreachable,
 * locked): sign-ins, unblocks and the audit trail fail and alerts wait in memory, while the proxy
 * keeps filtering with the policy and unblocks it has.
 */
final class StoreCheck implements HealthCheck {
  private final Store store;

  StoreCheck(Store store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public CheckResult check() {
    StoreProbe probe = store.probe();
    if (probe instanceof StoreProbe.Unusable u) {
      return CheckResult.degraded("the " + u.vendor() + " database does not take writes: " + u.problem()
          + " (sign-ins, unblocks and the audit trail fail; alerts wait and are retried)");
    }
    StoreProbe.Writable w = (StoreProbe.Writable) probe;
    return CheckResult.ok(w.vendor() + ", takes writes (" + w.took().toMillis() + " ms)");
  }
}
