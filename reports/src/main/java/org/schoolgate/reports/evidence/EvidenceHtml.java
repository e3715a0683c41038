package org.schoolgate.reports.evidence;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.schoolgate.reports.staff.StaffReports;

/**
 * The evidence pack as one self-contained HTML page for printing or saving: headings per section,
 * plain tables with header cells, a print stylesheet (A4, tables kept whole where they fit, no
 * colour needed: levels are written in words). Every value is escaped.
 */
public final class EvidenceHtml {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.UK);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
  static final String STYLE = "body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:2rem;"
      + "line-height:1.4}h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #0b0c0c}"
      + "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #b1b4b6;"
      + "padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f2f1}"
      + ".ok{font-weight:bold}.problem{font-weight:bold;text-decoration:underline}"
      + "@media print{body{margin:0;font-size:10pt}h2{break-after:avoid}tr,table{break-inside:avoid}"
      + "@page{size:A4;margin:15mm}a{color:inherit;text-decoration:none}}";

  private EvidenceHtml() {}

  public static String render(EvidencePack p, ZoneId zone) {
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Filtering evidence pack ")
        .append(esc(day(p.period().from(), zone))).append(" to ").append(esc(day(p.period().to().minusSeconds(1), zone)))
        .append("</title><style>").append(STYLE).append("</style></head><body><main>");
    b.append("<h1>Filtering evidence pack</h1><p>Period: ").append(esc(day(p.period().from(), zone))).append(" to ")
        .append(esc(day(p.period().to().minusSeconds(1), zone))).append(" (").append(esc(zone.getId()))
        .append("). Made ").append(esc(when(p.generatedAt(), zone))).append(" by ").append(esc(p.generatedBy()))
        .append(".</p>");

    EvidencePack.PolicyMatrix m = p.policy();
    b.append("<h2>The acceptable use matrix</h2><p>Policy file ").append(esc(m.file())).append(", in force since ")
        .append(esc(when(m.compiledAt(), zone))).append("; ").append(m.listEntries())
        .append(" list entries. Sites in no category are ").append(esc(m.defaultLevel())).append(".</p>");
    b.append("<table><caption>Level of each category for each group</caption><thead><tr><th scope=\"col\">Category</th>");
    for (EvidencePack.Group g : m.groups()) {
      b.append("<th scope=\"col\">").append(esc(g.id())).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (EvidencePack.Row r : m.matrix()) {
      b.append("<tr><th scope=\"row\">").append(esc(r.category())).append(r.sensitive() ? " (sensitive)" : "")
          .append("</th>");
      for (EvidencePack.Cell c : r.cells()) {
        b.append("<td>").append(esc(c.words()));
        if (!c.schedules().isEmpty()) {
          b.append(" (").append(esc(String.join(", ", c.schedules()))).append(')');
        }
        if (c.nominatedUsers() > 0 || !c.nominatedGroups().isEmpty()) {
          b.append(" — nominated: ").append(c.nominatedUsers()).append(" user(s)");
          if (!c.nominatedGroups().isEmpty()) {
            b.append(", groups ").append(esc(String.join(", ", c.nominatedGroups())));
          }
        }
        b.append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table>");

    b.append("<h2>Policy and list changes</h2>");
    if (p.changes().isEmpty()) {
      b.append("<p>No changes in the period.</p>");
    } else {
      b.append("<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th>"
          + "<th scope=\"col\">Details</th></tr></thead><tbody>");
      for (EvidencePack.Change c : p.changes()) {
        b.append("<tr><td>").append(esc(when(c.at(), zone))).append("</td><td>").append(esc(c.actor()))
            .append("</td><td>").append(esc(c.type())).append(' ').append(esc(c.target())).append("</td><td>")
            .append(esc(c.reason())).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }

    StaffReports.Unblocks u = p.unblocks();
    b.append("<h2>Unblocks</h2><p>").append(u.granted()).append(" granted, ").append(u.denied())
        .append(" denied, ").append(u.requested()).append(" requested. Median length ").append(u.medianHours())
        .append(" hours, longest ").append(u.longestHours()).append(" hours.</p>");
    totals(b, "Granted by category", "Category", u.byCategory());
    totals(b, "Granted by approver", "Approved by", u.byApprover());

    b.append("<h2>Incidents by outcome</h2><p>").append(p.incidents().total())
        .append(" incident(s) open at some time in the period.</p>");
    totals(b, "By outcome", "Outcome", p.incidents().byOutcome());
    totals(b, "By state now", "State", p.incidents().byState());
    totals(b, "By kind", "Kind", p.incidents().byKind());

    b.append("<h2>Illegal content lists</h2><table><thead><tr><th scope=\"col\">Category</th>"
        + "<th scope=\"col\">Source</th><th scope=\"col\">Entries</th><th scope=\"col\">Invalid lines</th>"
        + "<th scope=\"col\">File changed</th><th scope=\"col\">Status</th></tr></thead><tbody>");
    for (EvidencePack.IllegalList l : p.illegalLists()) {
      b.append("<tr><td>").append(esc(l.category())).append("</td><td>").append(esc(l.source())).append("</td><td>")
          .append(l.entries()).append("</td><td>").append(l.invalid()).append("</td><td>")
          .append(l.fileModified() == null ? "" : esc(when(l.fileModified(), zone))).append("</td><td class=\"")
          .append(l.status().equals("ok") ? "ok" : "problem").append("\">").append(esc(l.status()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");

    StaffReports.Chain chain = p.auditChain();
    b.append("<h2>Audit trail</h2><p class=\"").append(chain.status().equals("valid") ? "ok" : "problem").append("\">");
    if (chain.status().equals("valid")) {
      b.append("The audit trail's hash chain verifies: ").append(chain.records())
          .append(" records, none edited, deleted or reordered. Head ").append(esc(chain.head())).append('.');
    } else {
      b.append("The audit trail's hash chain is broken at record ").append(chain.brokenAt()).append(": ")
          .append(esc(chain.problem()));
    }
    b.append("</p></main></body></html>\n");
    return b.toString();
  }

  private static void totals(StringBuilder b, String caption, String label, List<StaffReports.Total> totals) {
    if (totals.isEmpty()) {
      return;
    }
    b.append("<table><caption>").append(esc(caption)).append("</caption><thead><tr><th scope=\"col\">")
        .append(esc(label)).append("</th><th scope=\"col\">Count</th></tr></thead><tbody>");
    for (StaffReports.Total t : totals) {
      b.append("<tr><td>").append(esc(t.label())).append("</td><td>").append(esc(t.count().toString()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
  }

  static String when(Instant t, ZoneId zone) {
    return WHEN.format(t.atZone(zone));
  }

  static String day(Instant t, ZoneId zone) {
    return DAY.format(t.atZone(zone));
  }

  /** {@code text} escaped for HTML text and attribute values. */
  public static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
