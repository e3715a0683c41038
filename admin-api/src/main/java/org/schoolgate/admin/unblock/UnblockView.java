package org.schoolgate.admin.unblock;

import java.time.Instant;
import java.util.List;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.UnblockRecord;

/**
 * An unblock request as the API shows it. {@code fromApproval}: asked "for N minutes", so while
 * pending {@code from}/{@code until} are provisional and approval starts the N minutes.
 */
public record UnblockView(
    long id, String status, Target target, List<String> groups, List<String> users, List<String> subnets,
    Instant from, Instant until, String reason, boolean sensitive, boolean bypass, String categories,
    String requestedBy, Instant requestedAt, String decidedBy, Instant decidedAt, String decisionNote,
    String endedBy, Instant endedAt, boolean fromApproval) {

  /** What is unblocked: {@code type} is domain, url, category or everything. */
  public record Target(String type, String value, String text) {
    static Target of(UnblockTarget t) {
      if (t instanceof UnblockTarget.Domain d) {
        return new Target("domain", d.host(), t.text());
      }
      if (t instanceof UnblockTarget.UrlPrefix u) {
        return new Target("url", u.host() + u.path(), t.text());
      }
      if (t instanceof UnblockTarget.Category c) {
        return new Target("category", c.category().value(), t.text());
      }
      return new Target("everything", null, t.text());
    }
  }

  public static UnblockView of(UnblockRecord r) {
    NewUnblock q = r.request();
    return new UnblockView(r.id().value(), r.status().apiName(), Target.of(q.target()),
        q.scope().groups().stream().map(GroupId::value).sorted().toList(),
        q.scope().users().stream().sorted().toList(), q.scope().subnets(), q.from(), q.until(),
        q.reason(), q.sensitive(), q.bypass(), q.categories(), r.requestedBy(), r.requestedAt(),
        r.decidedBy(), r.decidedAt(), r.decisionNote(), r.endedBy(), r.endedAt(), q.fromApproval());
  }
}
