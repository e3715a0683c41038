package org.schoolgate.reports.evidence;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.reports.staff.StaffReports;

/**
 * The evidence pack as CSV (RFC 4180, UTF-8): one table with the columns {@code section, item,
 * detail, value}, so a spreadsheet can filter by section. Fields starting with {@code = + - @}
 * are prefixed with an apostrophe so a spreadsheet never runs them as formulas.
 */
public final class EvidenceCsv {
  private EvidenceCsv() {}

  public static String render(EvidencePack p, ZoneId zone) {
    StringBuilder b = new StringBuilder(8192);
    row(b, "section", "item", "detail", "value");
    row(b, "period", "from", zone.getId(), p.period().from().toString());
    row(b, "period", "to", zone.getId(), p.period().to().toString());
    row(b, "period", "generated", p.generatedBy(), p.generatedAt().toString());
    for (EvidencePack.Row r : p.policy().matrix()) {
      for (EvidencePack.Cell c : r.cells()) {
        List<String> extra = new ArrayList<>();
        if (!c.schedules().isEmpty()) {
          extra.add("schedules " + String.join(" ", c.schedules()));
        }
        if (c.nominatedUsers() > 0) {
          extra.add(c.nominatedUsers() + " nominated user(s)");
        }
        if (!c.nominatedGroups().isEmpty()) {
          extra.add("nominated groups " + String.join(" ", c.nominatedGroups()));
        }
        row(b, "matrix", r.category(), c.group(), c.words() + (extra.isEmpty() ? "" : " (" + String.join("; ", extra)
            + ")"));
      }
    }
    for (EvidencePack.Change c : p.changes()) {
      row(b, "change", c.at().toString(), c.actor() + " " + c.type() + " " + c.target(), c.reason());
    }
    StaffReports.Unblocks u = p.unblocks();
    row(b, "unblocks", "granted", "", u.granted().toString());
    row(b, "unblocks", "denied", "", u.denied().toString());
    row(b, "unblocks", "median hours", "", Double.toString(u.medianHours()));
    for (StaffReports.Total t : u.byCategory()) {
      row(b, "unblocks by category", t.label(), "", t.count().toString());
    }
    for (StaffReports.Total t : u.byApprover()) {
      row(b, "unblocks by approver", t.label(), "", t.count().toString());
    }
    for (StaffReports.Granted g : u.list()) {
      row(b, "unblock", "#" + g.id(), g.target() + " for " + g.scope() + " from " + g.from() + " until " + g.until()
          + ", requested by " + g.requestedBy() + ", approved by " + g.approvedBy(), g.status());
    }
    row(b, "incidents", "total", "", p.incidents().total().toString());
    for (StaffReports.Total t : p.incidents().byOutcome()) {
      row(b, "incidents by outcome", t.label(), "", t.count().toString());
    }
    for (StaffReports.Total t : p.incidents().byKind()) {
      row(b, "incidents by kind", t.label(), "", t.count().toString());
    }
    for (EvidencePack.IllegalList l : p.illegalLists()) {
      row(b, "illegal list", l.category(), l.source() + " (" + l.entries() + " entries, " + l.invalid()
          + " invalid lines" + (l.fileModified() == null ? "" : ", changed " + l.fileModified()) + ")", l.status());
    }
    StaffReports.Chain c = p.auditChain();
    row(b, "audit chain", c.status(), c.status().equals("valid") ? c.records() + " records, head " + c.head()
        : "broken at record " + c.brokenAt(), c.status().equals("valid") ? "verified" : c.problem());
    return b.toString();
  }

  private static void row(StringBuilder b, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(field(fields[i]));
    }
    b.append("\r\n");
  }

  static String field(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
