/**
 * The DSL's incident log, beyond the store: {@link org.schoolgate.alerts.incident.IncidentEscalator}
 * (critical incidents nobody acknowledged go to the next contact, on the {@code
 * schoolgate-escalation} thread) and the weekly digest ({@link
 * org.schoolgate.alerts.incident.WeeklyDigest} builds its text from the store and the proxy's
 * access-log files; {@link org.schoolgate.alerts.incident.DigestSchedule} says when and {@link
 * org.schoolgate.alerts.incident.DigestRunner} sends it on the {@code schoolgate-digest} thread).
 * Everything here blocks (JDBC, file reads): run it on its own threads, never on a proxy event loop.
 */
package org.schoolgate.alerts.incident;
