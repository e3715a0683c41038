package org.schoolgate.store;

import java.util.List;
import java.util.Objects;

/** An incident with its whole timeline, oldest entry first. */
public record IncidentHistory(Incident incident, List<TimelineEntry> timeline) {
  public IncidentHistory {
    Objects.requireNonNull(incident, "incident");
    timeline = List.copyOf(timeline);
  }
}
