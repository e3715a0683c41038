package org.schoolgate.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.admin.reload.PolicyReloads;

/** {@code POST /api/v1/policy/reload} (audited with who asked and what changed), and the policy summary {@code /healthz} shows. */
final class PolicyRoutes {
  private final PolicyHolder holder;
  private final PolicyReloads reloads;

  PolicyRoutes(PolicyHolder holder, PolicyReloads reloads) {
    this.holder = holder;
    this.reloads = reloads;
  }

  record PolicySummary(String source, String compiledAt, long entries) {
    static PolicySummary of(PolicySnapshot snapshot) {
      return new PolicySummary(snapshot.source().toString(), snapshot.compiledAt().toString(),
          snapshot.entryCount());
    }
  }

  record Reloaded(String status, PolicySummary policy, long tookMillis) {}

  record ErrorLine(String file, int line, String field, String message) {}

  record Rejected(String code, String message, String field, List<ErrorLine> errors) {}

  /** Runs on a Jetty worker thread: compiling lists never touches a proxy event loop. */
  void reload(Context ctx) {
    Caller caller = Caller.of(ctx);
    ReloadResult result = reloads.reload(caller.actor());
    if (result instanceof ReloadResult.Reloaded r) {
      ctx.json(new Reloaded("reloaded", PolicySummary.of(r.snapshot()), r.took().toMillis()));
      return;
    }
    List<ErrorLine> errors = ((ReloadResult.Rejected) result).errors().stream()
        .map(PolicyRoutes::line).toList();
    ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(new Rejected("policy_invalid",
        "the policy file has " + errors.size() + (errors.size() == 1 ? " error" : " errors")
            + "; the previous policy stays in force",
        null, errors));
  }

  private static ErrorLine line(PolicyError e) {
    return new ErrorLine(String.valueOf(e.file()), e.line(), e.field(), e.message());
  }
}
