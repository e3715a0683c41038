package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.ConsoleLinks;
import org.schoolgate.store.NewSiteReport;
import org.schoolgate.store.Notification;
import org.schoolgate.store.Role;
import org.schoolgate.store.SiteReport;
import org.schoolgate.store.SiteReportId;
import org.schoolgate.store.SiteReportStore;
import org.schoolgate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SiteReportStore} on the {@code site_reports} table: each change, its audit record and
 * the notifications it causes in one transaction.
 */
final class JdbcSiteReportStore implements SiteReportStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSiteReportStore.class);
  private static final String COLUMNS = "id, kind, url, host, comment, reporter, reporter_id, client_address,"
      + " group_name, decision_json, status, created_at, answered_by, answered_at, answer";
  private static final Set<Role> TECHNICIANS = EnumSet.of(Role.TECHNICIAN);
  private static final int MAX_ANSWER = 2000;

  private final Database db;
  private final AuditWriter audit;
  private final NotificationRows notifications;

  JdbcSiteReportStore(Database db, AuditWriter audit, NotificationRows notifications) {
    this.db = db;
    this.audit = audit;
    this.notifications = notifications;
  }

  @Override
  public Made report(NewSiteReport report, Actor reporter, boolean withToken) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(reporter, "reporter");
    String token = withToken ? Tokens.newToken() : null;
    SiteReport made = db.write("storing a site report", c -> {
      Instant now = db.now();
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO site_reports (kind, url, host, comment, reporter,"
          + " reporter_id, client_address, group_name, decision_json, token_hash, status, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, report.kind().apiName());
        ps.setString(2, report.url());
        ps.setString(3, report.host());
        ps.setString(4, report.comment());
        ps.setString(5, reporter.name());
        Database.setLongOrNull(ps, 6, reporter.account() == null ? null : reporter.account().value());
        ps.setString(7, report.clientAddress());
        ps.setString(8, report.group());
        ps.setString(9, report.decisionJson());
        ps.setString(10, token == null ? null : Tokens.sha256Hex(token));
        ps.setString(11, SiteReport.Status.OPEN.apiName());
        ps.setLong(12, Database.micros(now));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      SiteReport r = new SiteReport(new SiteReportId(id), report, reporter.name(), reporter.account(),
          SiteReport.Status.OPEN, now, null, null, null);
      audit.append(c, new AuditEntry("site.reported", reporter, target(r.id()), report.comment(), null, json(r)),
          false);
      notifications.toRoles(c, TECHNICIANS, EnumSet.of(Role.ADMIN), reporter.account(), new NotificationRows.Message(
          Notification.Kinds.SITE_REPORTED, "Site report " + id + ": " + report.host() + " "
              + words(report.kind()) + " (reported by " + reporter.name() + ")",
          report.url() + "\n" + (report.comment().isEmpty() ? "(no comment)" : report.comment()),
          ConsoleLinks.siteReport(id)));
      return r;
    });
    LOG.info("site report {}: {} {} by {}", made.id(), made.request().host(), made.request().kind().apiName(),
        reporter.name());
    return new Made(made, token);
  }

  @Override
  public Optional<SiteReport> get(SiteReportId id) {
    return db.read("reading site report " + id, c -> find(c, "id = ?", id.value(), ""));
  }

  @Override
  public Optional<SiteReport> byToken(String token) {
    if (!Tokens.wellFormed(token)) {
      return Optional.empty();
    }
    return db.read("reading a site report by token", c -> find(c, "token_hash = ?", Tokens.sha256Hex(token), ""));
  }

  @Override
  public List<SiteReport> list(Query query) {
    if (query.limit() < 1 || query.limit() > 1000) {
      throw new StoreException("invalid", "limit " + query.limit() + " is out of range (use 1-1000)", "limit");
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM site_reports WHERE 1 = 1");
    if (query.status() != null) {
      sql.append(" AND status = ?");
    }
    if (query.reporter() != null) {
      sql.append(" AND reporter_id = ?");
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit());
    return db.read("listing site reports", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        if (query.status() != null) {
          ps.setString(i++, query.status().apiName());
        }
        if (query.reporter() != null) {
          ps.setLong(i, query.reporter().value());
        }
        return readAll(ps);
      }
    });
  }

  @Override
  public SiteReport answer(SiteReportId id, SiteReport.Status status, String answer, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    if (status == null || status == SiteReport.Status.OPEN) {
      throw new StoreException("invalid", "a report is answered as changed or unchanged (expected: status changed"
          + " when the filter was changed, unchanged when it stays as it is)", "status");
    }
    String text = answer == null ? "" : answer.strip();
    if (text.isEmpty() || text.length() > MAX_ANSWER) {
      throw new StoreException("invalid", "the answer is " + (text.isEmpty() ? "empty" : text.length()
          + " characters") + " (expected: 1-" + MAX_ANSWER + " characters the reporter will read, saying what"
          + " was done or why nothing was)", "answer");
    }
    SiteReport after = db.write("answering site report " + id, c -> {
      SiteReport before = find(c, "id = ?", id.value(), db.forUpdate())
          .orElseThrow(() -> new StoreException("not_found", "site report " + id + " does not exist", "id"));
      if (before.status() != SiteReport.Status.OPEN) {
        throw new StoreException("conflict", "site report " + id + " was answered already (" + before.status().apiName()
            + " by " + before.answeredBy() + ")", "status");
      }
      Instant now = db.now();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE site_reports SET status = ?, answered_by = ?, answered_at = ?, answer = ? WHERE id = ?")) {
        ps.setString(1, status.apiName());
        ps.setString(2, actor.name());
        ps.setLong(3, Database.micros(now));
        ps.setString(4, text);
        ps.setLong(5, id.value());
        ps.executeUpdate();
      }
      SiteReport changed = new SiteReport(before.id(), before.request(), before.reporter(), before.reporterId(),
          status, before.createdAt(), actor.name(), now, text);
      audit.append(c, new AuditEntry("site.report_answered", actor, target(id), text, json(before), json(changed)),
          false);
      if (before.reporterId() != null) {
        notifications.toAccount(c, before.reporterId(), new NotificationRows.Message(
            Notification.Kinds.SITE_REPORT_ANSWERED, "Your report " + id + " (" + before.request().host() + "): "
                + (status == SiteReport.Status.CHANGED ? "the filter was changed" : "no change"),
            text, ConsoleLinks.siteReport(id.value())));
      }
      return changed;
    });
    LOG.info("site report {} answered {} by {}", id, status.apiName(), actor.name());
    return after;
  }

  private static String words(SiteReport.Kind kind) {
    return kind == SiteReport.Kind.WRONGLY_BLOCKED ? "is wrongly blocked" : "is wrongly allowed";
  }

  static String target(SiteReportId id) {
    return "site-report:" + id.value();
  }

  private static String json(SiteReport r) {
    ObjectNode n = Json.object();
    n.put("id", r.id().value());
    n.put("kind", r.request().kind().apiName());
    n.put("url", r.request().url());
    n.put("group", r.request().group());
    n.put("client", r.request().clientAddress());
    n.put("reporter", r.reporter());
    n.put("status", r.status().apiName());
    if (r.answer() != null) {
      n.put("answer", r.answer());
    }
    return Json.text(n);
  }

  private static Optional<SiteReport> find(Connection c, String where, Object key, String lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM site_reports WHERE " + where + lock)) {
      if (key instanceof Long l) {
        ps.setLong(1, l);
      } else {
        ps.setString(1, (String) key);
      }
      List<SiteReport> found = readAll(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<SiteReport> readAll(PreparedStatement ps) throws SQLException {
    List<SiteReport> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long reporterId = rs.getLong("reporter_id");
        AccountId reporter = rs.wasNull() ? null : new AccountId(reporterId);
        NewSiteReport request = new NewSiteReport(SiteReport.Kind.parse(rs.getString("kind")).orElseThrow(),
            rs.getString("url"), rs.getString("host"), rs.getString("comment"), rs.getString("client_address"),
            rs.getString("group_name"), rs.getString("decision_json"));
        out.add(new SiteReport(new SiteReportId(rs.getLong("id")), request, rs.getString("reporter"), reporter,
            SiteReport.Status.parse(rs.getString("status")).orElseThrow(), Database.instant(rs.getLong("created_at")),
            rs.getString("answered_by"), Database.instantOrNull(rs, "answered_at"), rs.getString("answer")));
      }
    }
    return out;
  }
}
