package org.schoolgate.policy;

import java.time.Duration;
import java.util.List;

/** The outcome of {@link PolicyHolder#reload()}. */
public sealed interface ReloadResult permits ReloadResult.Reloaded, ReloadResult.Rejected {

  /** The new policy is in force. */
  record Reloaded(PolicySnapshot snapshot, Duration took) implements ReloadResult {}

  /** The file had errors; the previous policy stays in force. */
  record Rejected(List<PolicyError> errors) implements ReloadResult {}
}
