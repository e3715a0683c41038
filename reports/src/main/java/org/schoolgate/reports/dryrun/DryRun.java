package org.schoolgate.reports.dryrun;

import java.time.Instant;
import java.util.List;

/**
 * A dry run as it stands.
 *
 * @param id the run's id ({@code GET /api/v1/reports/dry-runs/{id}})
 * @param state {@code running}, {@code done}, {@code cancelled} or {@code failed}
 * @param days how many whole days before today it covers
 * @param from the first logged request it reads (start of the first day)
 * @param to the end (start of today)
 * @param total the logged requests in the period (known once counted; 0 before)
 * @param processed how many it has re-decided so far
 * @param progress the share of the run done, 0 to 1: while {@code reading}, the share of the day
 *     files' bytes read (one file at a time), scaled to the first 0.9; while {@code deciding}, 0.9
 *     plus the rest in proportion to the distinct requests decided
 * @param stage {@code reading} (DuckDB reads the period's log and groups identical requests;
 *     total and processed are 0), {@code deciding} (each distinct request decided once, counted
 *     as often as it was logged), or {@code finished} once the run has ended
 * @param result the counts, once done (null while running)
 * @param error why it failed, or null
 */
public record DryRun(String id, String state, String startedBy, Instant startedAt, Instant finishedAt, int days,
    Instant from, Instant to, long total, long processed, double progress, String stage, Result result, String error) {

  /**
   * What the candidate policy would have changed.
   *
   * @param requests logged requests read
   * @param redecided requests decided again with the candidate
   * @param keptAsLogged requests not decided on their URL (tunnel checks, refused destinations,
   *     approved unblocks and bypasses), counted as they were logged
   * @param unchanged re-decided the same way
   * @param allowedToBlocked allowed then, blocked by the candidate
   * @param blockedToAllowed blocked then, allowed by the candidate
   * @param changes per category and group, most changed first
   */
  public record Result(long requests, long redecided, long keptAsLogged, long unchanged, long allowedToBlocked,
      long blockedToAllowed, List<Change> changes) {}

  /**
   * The changes in one category (the one that decided: the candidate's for new blocks, the
   * logged one for new allows) for one group.
   *
   * @param samples up to {@value DryRunJob#SAMPLES} URLs of each direction
   */
  public record Change(String category, String group, long allowedToBlocked, long blockedToAllowed,
      List<String> samples) {}
}
