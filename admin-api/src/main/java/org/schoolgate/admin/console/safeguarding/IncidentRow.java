package org.schoolgate.admin.console.safeguarding;

import java.time.ZoneId;
import org.schoolgate.admin.console.Times;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentState;

/** An incident as the pages show it. */
public record IncidentRow(long id, String state, String stateClass, String severity, String severityClass,
    String who, String kind, String subject, String owner, String openedAt, String lastHitAt, int hits,
    int escalationLevel, String outcome, boolean closed) {

  public static IncidentRow of(Incident i, ZoneId zone) {
    return new IncidentRow(i.id().value(), stateWords(i.state()), stateClass(i.state()), severityWords(i.severity()),
        severityClass(i.severity()), i.who(), i.kind(), i.subject(), i.owner() == null ? "nobody" : i.owner(),
        Times.when(i.openedAt(), zone), Times.when(i.lastHitAt(), zone), i.hits(), i.escalationLevel(),
        i.outcome(), i.closed());
  }

  static String stateWords(IncidentState s) {
    return switch (s) {
      case NEW -> "New";
      case ACKNOWLEDGED -> "Acknowledged";
      case ESCALATED -> "Escalated";
      case CLOSED -> "Closed";
    };
  }

  static String stateClass(IncidentState s) {
    return switch (s) {
      case NEW -> "govuk-tag govuk-tag--blue";
      case ACKNOWLEDGED -> "govuk-tag govuk-tag--turquoise";
      case ESCALATED -> "govuk-tag govuk-tag--pink";
      case CLOSED -> "govuk-tag govuk-tag--grey";
    };
  }

  static String severityWords(Alert.Severity s) {
    return switch (s) {
      case INFO -> "Information";
      case WARNING -> "Warning";
      case CRITICAL -> "Critical";
    };
  }

  static String severityClass(Alert.Severity s) {
    return switch (s) {
      case INFO -> "govuk-tag govuk-tag--grey";
      case WARNING -> "govuk-tag govuk-tag--orange";
      case CRITICAL -> "govuk-tag govuk-tag--red";
    };
  }
}
