package org.schoolgate.reports.evidence;

import java.time.Instant;
import java.util.List;
import org.schoolgate.reports.Count;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.staff.StaffReports;

/**
 * Everything a governing body reviews once a year about filtering, in one document.
 *
 * @param generatedAt when it was made
 * @param generatedBy who asked for it
 * @param policy the policy in force and its matrix, in words
 * @param changes every policy and list change in the period (reloads with their diffs, list
 *     updates), oldest first
 * @param unblocks unblocks granted in the period
 * @param incidents the DSL's incidents in the period by outcome, state and kind (counts only)
 * @param illegalLists the lists behind the illegal categories: entries, invalid lines, when the
 *     file last changed
 * @param auditChain the verification of the whole audit trail
 */
public record EvidencePack(Period period, Instant generatedAt, String generatedBy, PolicyMatrix policy,
    List<Change> changes, boolean changesComplete, StaffReports.Unblocks unblocks, Incidents incidents,
    List<IllegalList> illegalLists, StaffReports.Chain auditChain) {

  /** The policy in force. */
  public record PolicyMatrix(String file, Instant compiledAt, String timezone, String defaultLevel,
      List<Group> groups, List<Row> matrix, long listEntries) {}

  public record Group(String id, String description) {}

  /** One category's row: its cell per group, in the groups' order. */
  public record Row(String category, String description, boolean sensitive, boolean illegal, List<Cell> cells) {}

  /**
   * One cell: the level's name, the level in words, the schedules it depends on, and the number
   * of nominated users and the nominated groups (user names are not listed).
   */
  public record Cell(String group, String level, String words, List<String> schedules, int nominatedUsers,
      List<String> nominatedGroups) {}

  /** A policy or list change from the audit trail. */
  public record Change(long seq, Instant at, String type, String actor, String target, String reason) {}

  /** Incidents open at some time in the period. */
  public record Incidents(Count total, List<StaffReports.Total> byOutcome, List<StaffReports.Total> byState,
      List<StaffReports.Total> byKind) {}

  /**
   * One source of an illegal category.
   *
   * @param status {@code ok}, or what is wrong ({@code empty: no entries}, {@code missing})
   */
  public record IllegalList(String category, String source, String kind, long entries, long invalid,
      Instant fileModified, String status) {}
}
