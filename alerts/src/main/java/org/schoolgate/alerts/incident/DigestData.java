package org.schoolgate.alerts.incident;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.schoolgate.store.Incident;

/**
 * The weekly digest as data ({@link WeeklyDigest#data}): what the email says, for the console's
 * digest page and {@code GET /api/v1/reports/digest}. Every count comes with the week before's.
 *
 * @param firstDay the week's Monday
 * @param lastDay the week's Sunday
 * @param zone the school's time zone
 * @param previousFirstDay the Monday before
 * @param previousLastDay the Sunday before
 * @param opened incidents opened in the week
 * @param closed incidents closed in the week
 * @param openAtEnd incidents still open when the week ended
 * @param openedBySeverity opened, by severity (critical, warning, info)
 * @param openedByKind opened, by kind
 * @param topThemes the {@value WeeklyDigest#TOP} kinds with most incidents opened
 * @param stillOpen the open incidents, most severe and oldest first, at most {@value WeeklyDigest#MAX_OPEN_LISTED}
 * @param stillOpenTotal how many are open in all
 * @param blocked the top blocked categories per policy group, from the access log
 * @param aiUse generative-AI chat tool use per policy group, from the access log (empty when it
 *     could not be read: {@link Blocked#problem()} says why)
 */
public record DigestData(LocalDate firstDay, LocalDate lastDay, ZoneId zone, LocalDate previousFirstDay,
    LocalDate previousLastDay, Change opened, Change closed, Change openAtEnd, List<Change> openedBySeverity,
    List<Change> openedByKind, List<Change> topThemes, List<Incident> stillOpen, int stillOpenTotal,
    Blocked blocked, List<GroupAiUse> aiUse) {

  public DigestData {
    aiUse = List.copyOf(aiUse);
  }

  /**
   * One group's use of generative-AI chat tools (the policy's {@code content.ai-chat} categories):
   * requests let through, requests blocked, and how many different signed-in people made them.
   */
  public record GroupAiUse(String group, Change requests, Change blocked, Change people) {}

  /** A count this week and the week before. */
  public record Change(String label, long now, long before) {
    /** {@code previous week 4, +25%}, as the email writes it. */
    public String trend() {
      return WeeklyDigest.change(now, before);
    }
  }

  /**
   * Blocked requests per group.
   *
   * @param unreadable access-log lines that could not be read (skipped and counted)
   * @param problem why the access log could not be read, or null
   */
  public record Blocked(List<GroupBlocks> groups, long unreadable, String problem) {}

  /** One group's blocked requests and its top categories. */
  public record GroupBlocks(String group, Change blocked, List<Change> topCategories) {}
}
