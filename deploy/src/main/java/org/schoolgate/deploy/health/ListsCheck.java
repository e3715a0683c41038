package org.schoolgate.deploy.health;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.ReloadResult;

/**
 * {@code lists}: degraded when the policy in force was compiled with warnings (a list that is not
 * installed, a category missing from a list: those categories match nothing), or when the last
 * reload was rejected (an edited policy or a required list did not load, so an older policy is
 * still in force).
 */
final class ListsCheck implements HealthCheck {
  private final PolicyHolder holder;
  /** The last reload's errors, or null when the last reload worked (or none happened). */
  private final AtomicReference<List<PolicyError>> rejected = new AtomicReference<>();

  ListsCheck(PolicyHolder holder) {
    this.holder = holder;
    holder.onReload(r -> rejected.set(r instanceof ReloadResult.Rejected no ? no.errors() : null));
  }

  @Override
  public String name() {
    return "lists";
  }

  @Override
  public CheckResult check() {
    PolicySnapshot policy = holder.current();
    List<PolicyError> errors = rejected.get();
    if (errors != null) {
      return CheckResult.degraded("the last policy reload was rejected (" + errors.size()
          + (errors.size() == 1 ? " error" : " errors") + ", first: " + errors.get(0)
          + "); the policy compiled at " + policy.compiledAt() + " stays in force");
    }
    List<PolicyError> warnings = policy.warnings();
    if (!warnings.isEmpty()) {
      StringBuilder text = new StringBuilder().append(warnings.size())
          .append(warnings.size() == 1 ? " list problem" : " list problems").append(" in the policy in force: ");
      for (int i = 0; i < Math.min(3, warnings.size()); i++) {
        text.append(i == 0 ? "" : "; ").append(warnings.get(i));
      }
      if (warnings.size() > 3) {
        text.append("; and ").append(warnings.size() - 3).append(" more");
      }
      return CheckResult.degraded(text.append(" (install the lists with 'lists update', then reload)").toString());
    }
    return CheckResult.ok(policy.entryCount() + " list entries, compiled at " + policy.compiledAt());
  }
}
