package org.schoolgate.store;

import java.util.List;
import java.util.Optional;

/**
 * Reports of wrongly blocked or wrongly allowed sites: the technicians' inbox. Making a report
 * and answering it are each one transaction with their audit record ({@code site.reported},
 * {@code site.report_answered}) and the notifications they cause (every technician; the
 * reporter).
 *
 * <pre>{@code
 * SiteReportStore.Made made = store.siteReports().report(report, actor, true);
 * // made.token(): give it to the anonymous reporter once; only its SHA-256 is kept
 * store.siteReports().answer(made.report().id(), SiteReport.Status.CHANGED, "added to the allow list", tech);
 * }</pre>
 */
public interface SiteReportStore {

  /**
   * Stores a new open report by {@code reporter} (an account, or {@link Actor} without one for an
   * anonymous reporter). With {@code withToken} a fresh random token (256 bits) is made and
   * returned once, for the reporter to read the outcome without signing in.
   */
  Made report(NewSiteReport report, Actor reporter, boolean withToken);

  Optional<SiteReport> get(SiteReportId id);

  /** The report a token was made for; empty for anything else (malformed tokens too). */
  Optional<SiteReport> byToken(String token);

  /** Newest first. */
  List<SiteReport> list(Query query);

  /**
   * Answers an open report ({@code changed} or {@code unchanged}, with the words the reporter
   * will read); {@code conflict} if it was answered already, {@code invalid} without an answer.
   */
  SiteReport answer(SiteReportId id, SiteReport.Status status, String answer, Actor actor);

  /** A new report and, when asked for, its outcome token (null otherwise). */
  record Made(SiteReport report, String token) {}

  /**
   * @param status only this status, or null for all
   * @param reporter only this reporter's, or null
   * @param limit at most this many (1-1000)
   */
  record Query(SiteReport.Status status, AccountId reporter, int limit) {}
}
