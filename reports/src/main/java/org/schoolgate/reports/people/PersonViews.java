package org.schoolgate.reports.people;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.schoolgate.reports.Viewer;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;

/**
 * Audits every look at a named person's activity, as the safeguarding protocol asks: type
 * {@value #TYPE}, the viewer as actor, target {@value #TARGET} (never the person: the target is
 * shown to every audit reader), and whose activity, which window and why in the reason and the
 * after-state, which the audit views show only to the DSL and senior leaders ({@link
 * org.schoolgate.store.AuditVisibility}). Written before the timeline is read, so a look that the
 * audit trail cannot record does not happen.
 */
public final class PersonViews {
  /** The audit type of a look at a person's activity. */
  public static final String TYPE = "history.viewed";
  /** The target every such record carries. */
  public static final String TARGET = "history";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditTrail audit;

  public PersonViews(AuditTrail audit) {
    this.audit = audit;
  }

  /** Records that {@code viewer} looks at {@code person} from {@code from} to {@code to} ({@code why}: e.g. alert 12). */
  void record(Viewer viewer, Person person, Instant from, Instant to, String why) {
    ObjectNode after = JSON.createObjectNode();
    after.put("user", person.user());
    after.put("client", person.client());
    after.put("from", from.toString());
    after.put("to", to.toString());
    if (why != null) {
      after.put("context", why);
    }
    String reason = "activity of " + person.describe() + " from " + from + " to " + to
        + (why == null ? "" : " (" + why + ")");
    audit.append(new AuditEntry(TYPE, viewer.actor(), TARGET, reason, null, after.toString()));
  }
}
