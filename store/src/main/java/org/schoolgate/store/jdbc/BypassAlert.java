package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.UnblockRecord;

/**
 * The alert an approved filter bypass raises for the DSL: who approved it, for whom, from and
 * until when, who asked and why. One per unblock (key {@code filter-bypass:unblock:<id>}).
 */
final class BypassAlert {
  static final String KIND = "filter-bypass";

  private BypassAlert() {}

  static NewAlert of(UnblockRecord approved) {
    String scope = scopeText(approved.request().scope());
    String link = JdbcUnblockStore.target(approved.id());
    String subject = "Filter bypass " + approved.id() + " approved by " + approved.decidedBy() + " for " + scope
        + " until " + approved.request().until() + " (asked by " + approved.requestedBy() + ")";
    if (subject.length() > NewAlert.MAX_SUBJECT) {
      subject = subject.substring(0, NewAlert.MAX_SUBJECT - 1) + "…";
    }
    ObjectNode details = Json.object();
    details.put("unblock", approved.id().value());
    details.put("approvedBy", approved.decidedBy());
    details.put("approvedAt", approved.decidedAt().toString());
    details.put("note", approved.decisionNote() == null ? "" : approved.decisionNote());
    details.put("scope", scope);
    details.put("from", approved.request().from().toString());
    details.put("until", approved.request().until().toString());
    details.put("requestedBy", approved.requestedBy());
    details.put("requestedAt", approved.requestedAt().toString());
    details.put("reason", approved.request().reason());
    return new NewAlert(Alert.Severity.WARNING, KIND, Alert.Audience.DSL, subject, Json.text(details), scope,
        link, KIND + ":" + link);
  }

  /** {@code groups staff; users j.smith; subnets 10.20.4.0/24}, leaving out empty parts. */
  static String scopeText(UnblockScope scope) {
    List<String> parts = new ArrayList<>();
    if (!scope.groups().isEmpty()) {
      parts.add("groups " + scope.groups().stream().map(GroupId::value).sorted().collect(Collectors.joining(", ")));
    }
    if (!scope.users().isEmpty()) {
      parts.add("users " + String.join(", ", new TreeSet<>(scope.users())));
    }
    if (!scope.subnets().isEmpty()) {
      parts.add("subnets " + String.join(", ", scope.subnets()));
    }
    return parts.isEmpty() ? "nobody" : String.join("; ", parts);
  }
}
