package org.schoolgate.alerts.replay;

import org.schoolgate.alerts.Checkpoint;

/**
 * What a replay did.
 *
 * @param from the checkpoint it started from, or null (none: nothing was replayed)
 * @param files access-log files read
 * @param warmed events up to the checkpoint, evaluated only to warm the rules' windows
 * @param replayed events after the checkpoint, evaluated and their alerts raised
 * @param alerts alerts raised (an alert raised before the crash is raised again: the store keeps one)
 * @param skipped lines that were not a whole access event (e.g. the last one, cut by a crash)
 */
public record ReplayReport(Checkpoint from, int files, long warmed, long replayed, long alerts, long skipped) {
  static ReplayReport nothing() {
    return new ReplayReport(null, 0, 0, 0, 0, 0);
  }
}
