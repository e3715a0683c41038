package org.schoolgate.admin.console.unblock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.admin.console.Times;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;

/**
 * An unblock request as the pages show it: times in the school's zone, the scope in words, time
 * left for one in force.
 */
public record UnblockRow(long id, String status, String statusClass, String target, String scope, String from,
    String until, String timeLeft, String reason, String categories, boolean sensitive, boolean bypass,
    String requestedBy, String requestedAt, String decidedBy, String decisionNote, boolean pending) {

  public static UnblockRow of(UnblockRecord r, ZoneId zone, Instant now) {
    NewUnblock q = r.request();
    boolean inForce = r.status() == UnblockStatus.APPROVED && !now.isBefore(q.from()) && now.isBefore(q.until());
    return new UnblockRow(r.id().value(), label(r.status()), statusClass(r.status()), q.target().text(),
        scope(q.scope()), Times.when(q.from(), zone), Times.when(q.until(), zone),
        inForce ? Times.span(Duration.between(now, q.until())) : "", q.reason(),
        q.categories().isEmpty() ? "none listed" : q.categories(), q.sensitive(), q.bypass(), r.requestedBy(),
        Times.when(r.requestedAt(), zone), r.decidedBy(), r.decisionNote(), r.status() == UnblockStatus.PENDING);
  }

  static String scope(UnblockScope s) {
    List<String> parts = new ArrayList<>();
    if (!s.groups().isEmpty()) {
      parts.add("groups " + String.join(", ", s.groups().stream().map(GroupId::value).sorted().toList()));
    }
    if (!s.users().isEmpty()) {
      parts.add("users " + String.join(", ", s.users().stream().sorted().toList()));
    }
    if (!s.subnets().isEmpty()) {
      parts.add("rooms " + String.join(", ", s.subnets()));
    }
    return parts.isEmpty() ? "nobody" : String.join("; ", parts);
  }

  static String label(UnblockStatus s) {
    return switch (s) {
      case PENDING -> "Waiting for approval";
      case APPROVED -> "Approved";
      case DENIED -> "Denied";
      case REVOKED -> "Revoked";
      case EXPIRED -> "Ended";
      case CANCELLED -> "Cancelled";
    };
  }

  static String statusClass(UnblockStatus s) {
    return switch (s) {
      case PENDING -> "govuk-tag govuk-tag--yellow";
      case APPROVED -> "govuk-tag govuk-tag--green";
      case DENIED, REVOKED -> "govuk-tag govuk-tag--red";
      case EXPIRED, CANCELLED -> "govuk-tag govuk-tag--grey";
    };
  }
}
