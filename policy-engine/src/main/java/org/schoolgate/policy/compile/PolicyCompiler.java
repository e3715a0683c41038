package org.schoolgate.policy.compile;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;

/** Reads a policy file and its lists and compiles them into an immutable {@link PolicySnapshot}. */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /** Compiles {@code policyFile}; throws with every error found (file, line, field, fix). */
  public static PolicySnapshot compile(Path policyFile, Clock clock) throws PolicyException {
    // CONTRACT STUB: implemented by the policy-engine work.
    throw new PolicyException(List.of(new PolicyError(policyFile, 0, "", "not implemented yet")));
  }
}
