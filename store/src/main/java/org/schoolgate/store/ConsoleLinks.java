package org.schoolgate.store;

import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The console's URL scheme: the page for each item, relative to the admin API's public URL. Every
 * link a person is sent (email, webhook, notification) is one of these, never a JSON route; the
 * console serves each path as an HTML page (see {@code docs/console.md}).
 *
 * <pre>{@code
 * ConsoleLinks.absolute(URI.create("https://filter.school.example"), ConsoleLinks.unblock(12))
 *     // https://filter.school.example/unblocks/12
 * }</pre>
 */
public final class ConsoleLinks {
  private ConsoleLinks() {}

  /** {@code /unblocks/{id}}: an unblock request, its decision and its time left. */
  public static String unblock(long id) {
    return "/unblocks/" + id;
  }

  /** {@code /incidents/{id}}: an incident in the DSL's inbox. */
  public static String incident(long id) {
    return "/incidents/" + id;
  }

  /** {@code /alerts/{id}}: one alert (one without an incident: technicians' alerts). */
  public static String alert(long id) {
    return "/alerts/" + id;
  }

  /** {@code /digest/{date}}: the weekly digest of the week starting on {@code weekStart}. */
  public static String digest(LocalDate weekStart) {
    return "/digest/" + weekStart;
  }

  /** {@code /site-reports/{id}}: a report of a wrongly blocked or allowed site (technicians, the reporter). */
  public static String siteReport(long id) {
    return "/site-reports/" + id;
  }

  /** {@code /report-site/outcome?token=...}: an anonymous reporter's view of their report. */
  public static String siteReportOutcome(String token) {
    return "/report-site/outcome?token=" + token;
  }

  /** {@code /notifications}: the signed-in person's notifications. */
  public static String notifications() {
    return "/notifications";
  }

  /** {@code base} + {@code path}, with exactly one slash between them (a base with a path prefix keeps it). */
  public static String absolute(URI base, String path) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(path, "path");
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return b + (path.startsWith("/") ? path : "/" + path);
  }
}
