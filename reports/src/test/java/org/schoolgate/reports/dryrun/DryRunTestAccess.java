package org.schoolgate.reports.dryrun;

import java.util.Set;

/** What the dry-run tests in the parent package may see of this one. */
public final class DryRunTestAccess {
  private DryRunTestAccess() {}

  /** The rules whose requests are kept as logged. */
  public static Set<String> keptRules() {
    return DryRunJob.KEPT_RULES;
  }
}
