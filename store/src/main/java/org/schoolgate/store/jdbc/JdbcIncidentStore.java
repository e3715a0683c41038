package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentAction;
import org.schoolgate.store.IncidentHistory;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IncidentStore} on {@code incidents} and {@code incident_events}. Every change locks the
 * incident's row, checks the state machine, updates, appends its timeline entry and its audit
 * record in one transaction; views append {@code incident.viewed}/{@code incident.listed} in theirs.
 */
final class JdbcIncidentStore implements IncidentStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcIncidentStore.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz");

  private final Database db;
  private final AuditWriter audit;
  private final IncidentRows rows;
  private final AlertRows alerts;

  JdbcIncidentStore(Database db, AuditWriter audit, IncidentRows rows, AlertRows alerts) {
    this.db = db;
    this.audit = audit;
    this.rows = rows;
    this.alerts = alerts;
  }

  @Override
  public IncidentSettings settings() {
    return rows.settings();
  }

  @Override
  public IncidentHistory get(IncidentId id, Viewer viewer) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(viewer, "viewer");
    IncidentHistory history = db.write("reading incident " + id, c -> {
      Optional<Incident> found = IncidentRows.find(c, id, "");
      if (found.isPresent() && !viewer.sees(found.get())) {
        // someone tried to read an incident that is not theirs: the attempt is in the trail too
        audit.append(c, new AuditEntry("incident.view.refused", viewer.actor(), IncidentRows.target(id),
            "not assigned to them", null, null), false);
        return null;
      }
      Incident incident = found.orElseThrow(() -> notFound(id));
      IncidentHistory seen = new IncidentHistory(incident, IncidentRows.timeline(c, id));
      audit.append(c, new AuditEntry("incident.viewed", viewer.actor(), IncidentRows.target(id), "", null, null),
          false);
      return seen;
    });
    if (history == null) {
      throw notFound(id);
    }
    return history;
  }

  @Override
  public List<Incident> list(Query query, Viewer viewer) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(viewer, "viewer");
    if (query.limit() < 1 || query.limit() > 1000) {
      throw new StoreException("invalid", "limit " + query.limit() + " is out of range (use 1-1000)", "limit");
    }
    StringBuilder sql = new StringBuilder("SELECT " + IncidentRows.COLUMNS + " FROM incidents WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.state() != null) {
      sql.append(" AND state = ?");
      args.add(query.state().apiName());
    }
    if (query.severity() != null) {
      sql.append(" AND severity = ?");
      args.add(query.severity().apiName());
    }
    if (query.owner() != null) {
      sql.append(" AND owner = ?");
      args.add(query.owner());
    }
    if (!viewer.all()) {
      sql.append(" AND owner = ?");
      args.add(viewer.actor().name());
    }
    if (query.who() != null) {
      sql.append(" AND (who = ? OR who LIKE ? ESCAPE '\\')");
      args.add(query.who());
      args.add(likePrefix(query.who()) + " (%");
    }
    if (query.since() != null) {
      sql.append(" AND last_hit_at >= ?");
      args.add(Database.micros(query.since()));
    }
    sql.append(" ORDER BY last_hit_at DESC, id DESC LIMIT ").append(query.limit());
    return db.write("listing incidents", c -> {
      List<Incident> found;
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        bind(ps, args);
        found = IncidentRows.readAll(ps);
      }
      audit.append(c, new AuditEntry("incident.listed", viewer.actor(), "incidents",
          query.describe() + (viewer.all() ? "" : " (assigned to me)") + ": " + found.size() + " shown", null, null),
          false);
      return found;
    });
  }

  @Override
  public List<Incident> activity(Instant from, Instant to, Actor reader) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reader, "reader");
    if (!to.isAfter(from)) {
      throw new StoreException("invalid", "the period ends (" + to + ") before it starts (" + from + ")", "to");
    }
    return db.write("reading incident activity", c -> {
      List<Incident> found;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + IncidentRows.COLUMNS + " FROM incidents"
          + " WHERE opened_at < ? AND (closed_at IS NULL OR closed_at >= ?) ORDER BY opened_at, id")) {
        ps.setLong(1, Database.micros(to));
        ps.setLong(2, Database.micros(from));
        found = IncidentRows.readAll(ps);
      }
      audit.append(c, new AuditEntry("incident.listed", reader, "incidents", "activity from " + from + " to " + to
          + ": " + found.size() + " incidents", null, null), false);
      return found;
    });
  }

  @Override
  public Incident assign(IncidentId id, String owner, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    if (owner == null || owner.isBlank()) {
      throw new StoreException("invalid", "owner is required (expected: the username of the account to assign"
          + " incident " + id + " to)", "owner");
    }
    String name = owner.strip();
    Incident after = db.write("assigning incident " + id, c -> {
      if (!accountExists(c, name)) {
        throw new StoreException("invalid", "there is no enabled account '" + name
            + "' (expected: the username of an existing account)", "owner");
      }
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident before = lockOpen(c, id, "assigned");
      if (name.equals(before.owner())) {
        throw new StoreException("conflict", "incident " + id + " is already assigned to " + name, "owner");
      }
      update(c, "UPDATE incidents SET owner = ? WHERE id = ?", name, id.value());
      Incident changed = with(before, before.state(), name);
      rows.event(c, id, db.now(), TimelineEntry.Type.ASSIGNED, actor, null, null, name, null, null);
      audit.append(c, new AuditEntry("incident.assigned", actor, IncidentRows.target(id), "assigned to " + name,
          IncidentRows.json(before), IncidentRows.json(changed)), false);
      return changed;
    });
    LOG.info("incident {} assigned to {} by {}", id, name, actor.name());
    return after;
  }

  @Override
  public Incident acknowledge(IncidentId id, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    Incident after = db.write("acknowledging incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident before = lockOpen(c, id, "acknowledged");
      if (before.state() == IncidentState.ACKNOWLEDGED) {
        throw new StoreException("conflict", "incident " + id + " was already acknowledged by "
            + before.acknowledgedBy() + " at " + before.acknowledgedAt(), "state");
      }
      Instant now = db.now();
      String by = before.acknowledgedBy() != null ? before.acknowledgedBy() : actor.name();
      Instant at = before.acknowledgedAt() != null ? before.acknowledgedAt() : now;
      update(c, "UPDATE incidents SET state = ?, acknowledged_by = ?, acknowledged_at = ? WHERE id = ?",
          IncidentState.ACKNOWLEDGED.apiName(), by, Database.micros(at), id.value());
      Incident changed = new Incident(before.id(), IncidentState.ACKNOWLEDGED, before.owner(), before.severity(),
          before.who(), before.kind(), before.subject(), before.openedAt(), before.lastHitAt(), before.hits(),
          before.criticalSince(), before.escalationLevel(), before.escalatedAt(), by, at, null, null, null);
      rows.event(c, id, now, TimelineEntry.Type.STATE, actor, null, IncidentState.ACKNOWLEDGED, null, null, null);
      audit.append(c, new AuditEntry("incident.acknowledged", actor, IncidentRows.target(id), before.subject(),
          IncidentRows.json(before), IncidentRows.json(changed)), false);
      return changed;
    });
    LOG.info("incident {} acknowledged by {}", id, actor.name());
    return after;
  }

  @Override
  public Incident escalate(IncidentId id, String reason, Actor actor) {
    return escalateTo(id, 0, reason, actor);
  }

  @Override
  public Incident escalate(IncidentId id, int level, String reason, Actor actor) {
    if (level < 1 || level > MAX_ESCALATION) {
      throw new StoreException("invalid", "escalation level " + level + " is out of range (use 1-"
          + MAX_ESCALATION + ": 1 the deputy DSL, 2 the headteacher)", "level");
    }
    return escalateTo(id, level, reason, actor);
  }

  /** {@code requested} 0: the next level. */
  private Incident escalateTo(IncidentId id, int requested, String reason, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    String why = reason == null ? "" : reason.strip();
    Incident after = db.write("escalating incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident before = lockOpen(c, id, "escalated");
      int level = requested == 0 ? Math.min(before.escalationLevel() + 1, MAX_ESCALATION) : requested;
      if (before.escalationLevel() >= level) {
        throw new StoreException("conflict", "incident " + id + " is already escalated to level "
            + before.escalationLevel() + (before.escalationLevel() >= MAX_ESCALATION ? " (the highest)" : ""),
            "level");
      }
      if (level != before.escalationLevel() + 1) {
        throw new StoreException("conflict", "incident " + id + " is at escalation level " + before.escalationLevel()
            + "; the next level is " + (before.escalationLevel() + 1), "level");
      }
      return escalate(c, before, level, why, actor);
    });
    LOG.info("incident {} escalated to level {} by {}", id, after.escalationLevel(), actor.name());
    return after;
  }

  @Override
  public Optional<Incident> escalateIfDue(IncidentId id, int level, Instant now, Duration after, Actor actor) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(actor, "actor");
    Optional<Incident> done = db.write("escalating incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Optional<Incident> found = IncidentRows.find(c, id, db.forUpdate());
      if (found.isEmpty()) {
        return Optional.<Incident>empty();
      }
      Incident i = found.get();
      boolean due = !i.closed() && i.acknowledgedAt() == null && i.criticalSince() != null
          && i.escalationLevel() == level - 1 && level <= MAX_ESCALATION
          && !i.criticalSince().plus(after.multipliedBy(level)).isAfter(now);
      if (!due) {
        return Optional.<Incident>empty();
      }
      String reason = "not acknowledged within " + minutes(after.multipliedBy(level));
      return Optional.of(escalate(c, i, level, reason, actor));
    });
    done.ifPresent(i -> LOG.info("incident {} escalated to level {} by {}", id, level, actor.name()));
    return done;
  }

  private Incident escalate(Connection c, Incident before, int level, String why, Actor actor) throws SQLException {
    IncidentId id = before.id();
    Instant now = db.now();
    update(c, "UPDATE incidents SET state = ?, escalation_level = ?, escalated_at = ? WHERE id = ?",
        IncidentState.ESCALATED.apiName(), level, Database.micros(now), id.value());
    Incident changed = new Incident(before.id(), IncidentState.ESCALATED, before.owner(), before.severity(),
        before.who(), before.kind(), before.subject(), before.openedAt(), before.lastHitAt(), before.hits(),
        before.criticalSince(), level, now, before.acknowledgedBy(), before.acknowledgedAt(), null, null, null);
    String text = "level " + level + (why.isEmpty() ? "" : ": " + why);
    rows.event(c, id, now, TimelineEntry.Type.STATE, actor, null, IncidentState.ESCALATED, null, null, text);
    audit.append(c, new AuditEntry("incident.escalated", actor, IncidentRows.target(id), text,
        IncidentRows.json(before), IncidentRows.json(changed)), false);
    alerts.raise(c, escalationAlert(changed, level, why, rows.settings().zone()), actor);
    return changed;
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " minutes";
  }

  /** The alert delivery routes to the next contact (kind {@code escalation-<level>}). */
  static NewAlert escalationAlert(Incident i, int level, String reason, java.time.ZoneId zone) {
    Instant since = i.criticalSince() != null ? i.criticalSince() : i.openedAt();
    String subject = "Escalation " + level + ": " + i.severity().apiName() + " incident " + i.id() + " ("
        + i.kind() + ", " + i.who() + ") " + (i.acknowledgedAt() == null ? "not acknowledged since "
        : "open since ") + TIME.format(since.atZone(zone.normalized().equals(java.time.ZoneOffset.UTC)
        ? java.time.ZoneId.of("UTC") : zone)); // "UTC", or the school's "GMT"/"BST"
    if (subject.length() > NewAlert.MAX_SUBJECT) {
      subject = subject.substring(0, NewAlert.MAX_SUBJECT - 1) + "…";
    }
    String details = "incident: " + i.id() + "\nlevel: " + level + "\nseverity: " + i.severity().apiName()
        + "\nkind: " + i.kind() + "\nwho: " + i.who() + "\nsubject: " + i.subject() + "\nopened: " + i.openedAt()
        + "\nsince: " + since + "\nhits: " + i.hits() + "\nowner: " + (i.owner() == null ? "-" : i.owner())
        + (reason.isEmpty() ? "" : "\nreason: " + reason);
    return new NewAlert(Alert.Severity.CRITICAL, "escalation-" + level, Alert.Audience.DSL, subject, details,
        i.who(), i.id().link(), "escalation:" + i.id() + ":" + level);
  }

  @Override
  public Incident close(IncidentId id, String outcome, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    String text = requireText(outcome, "outcome", "a sentence saying how the incident ended");
    Incident after = db.write("closing incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident before = lockOpen(c, id, "closed");
      Instant now = db.now();
      update(c, "UPDATE incidents SET state = ?, closed_by = ?, closed_at = ?, outcome = ? WHERE id = ?",
          IncidentState.CLOSED.apiName(), actor.name(), Database.micros(now), text, id.value());
      Incident changed = new Incident(before.id(), IncidentState.CLOSED, before.owner(), before.severity(),
          before.who(), before.kind(), before.subject(), before.openedAt(), before.lastHitAt(), before.hits(),
          before.criticalSince(), before.escalationLevel(), before.escalatedAt(), before.acknowledgedBy(),
          before.acknowledgedAt(), actor.name(), now, text);
      rows.event(c, id, now, TimelineEntry.Type.STATE, actor, null, IncidentState.CLOSED, null, null, text);
      audit.append(c, new AuditEntry("incident.closed", actor, IncidentRows.target(id), text,
          IncidentRows.json(before), IncidentRows.json(changed)), false);
      return changed;
    });
    LOG.info("incident {} closed by {}", id, actor.name());
    return after;
  }

  @Override
  public IncidentHistory note(IncidentId id, String text, Viewer viewer) {
    Objects.requireNonNull(viewer, "viewer");
    String note = requireText(text, "text", "the note");
    return db.write("adding a note to incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident incident = visible(c, id, viewer, db.forUpdate());
      rows.event(c, id, db.now(), TimelineEntry.Type.NOTE, viewer.actor(), null, null, null, null, note);
      audit.append(c, new AuditEntry("incident.note", viewer.actor(), IncidentRows.target(id), note, null, null),
          false);
      return new IncidentHistory(incident, IncidentRows.timeline(c, id));
    });
  }

  @Override
  public IncidentHistory action(IncidentId id, IncidentAction action, String text, Viewer viewer) {
    Objects.requireNonNull(viewer, "viewer");
    if (action == null) {
      throw new StoreException("invalid", "action is required (expected: one of " + IncidentAction.EXPECTED + ")",
          "action");
    }
    String words = text == null || text.isBlank() ? null : text.strip();
    if (words == null && action == IncidentAction.OTHER) {
      throw new StoreException("invalid", "text is required for the action 'other' (expected: what was done)",
          "text");
    }
    if (words != null && words.length() > MAX_TEXT) {
      throw new StoreException("invalid", "text is " + words.length() + " characters (expected: at most "
          + MAX_TEXT + ")", "text");
    }
    return db.write("recording an action on incident " + id, c -> {
      audit.lockHead(c); // the chain before the row, as an alert joining it does
      Incident incident = visible(c, id, viewer, db.forUpdate());
      rows.event(c, id, db.now(), TimelineEntry.Type.ACTION, viewer.actor(), null, null, null, action, words);
      audit.append(c, new AuditEntry("incident.action", viewer.actor(), IncidentRows.target(id),
          action.apiName() + (words == null ? "" : ": " + words), null, null), false);
      return new IncidentHistory(incident, IncidentRows.timeline(c, id));
    });
  }

  @Override
  public List<Due> dueForEscalation(Instant now, Duration after) {
    Objects.requireNonNull(now, "now");
    if (after == null || after.isNegative() || after.isZero()) {
      throw new IllegalArgumentException("escalation interval " + after + " (expected: a positive duration)");
    }
    List<Incident> candidates = db.read("finding incidents due for escalation", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + IncidentRows.COLUMNS + " FROM incidents"
          + " WHERE severity = 'critical' AND acknowledged_at IS NULL AND state IN ('new', 'escalated')"
          + " AND escalation_level < ? AND critical_since <= ? ORDER BY critical_since, id")) {
        ps.setInt(1, MAX_ESCALATION);
        ps.setLong(2, Database.micros(now.minus(after)));
        return IncidentRows.readAll(ps);
      }
    });
    List<Due> due = new ArrayList<>();
    for (Incident i : candidates) {
      int next = i.escalationLevel() + 1;
      if (!i.criticalSince().plus(after.multipliedBy(next)).isAfter(now)) {
        due.add(new Due(i, next));
      }
    }
    return due;
  }

  private Incident visible(Connection c, IncidentId id, Viewer viewer, String lock) throws SQLException {
    return IncidentRows.find(c, id, lock).filter(viewer::sees).orElseThrow(() -> notFound(id));
  }

  private Incident lockOpen(Connection c, IncidentId id, String verb) throws SQLException {
    Incident incident = IncidentRows.find(c, id, db.forUpdate()).orElseThrow(() -> notFound(id));
    if (incident.closed()) {
      throw new StoreException("conflict", "incident " + id + " was closed by " + incident.closedBy() + " at "
          + incident.closedAt() + "; a closed incident cannot be " + verb, "state");
    }
    return incident;
  }

  private static StoreException notFound(IncidentId id) {
    return new StoreException("not_found", "incident " + id + " does not exist", "id");
  }

  private static Incident with(Incident i, IncidentState state, String owner) {
    return new Incident(i.id(), state, owner, i.severity(), i.who(), i.kind(), i.subject(), i.openedAt(),
        i.lastHitAt(), i.hits(), i.criticalSince(), i.escalationLevel(), i.escalatedAt(), i.acknowledgedBy(),
        i.acknowledgedAt(), i.closedBy(), i.closedAt(), i.outcome());
  }

  private static boolean accountExists(Connection c, String username) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE username = ? AND disabled = ?")) {
      ps.setString(1, username);
      ps.setBoolean(2, false);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String requireText(String text, String field, String expected) {
    if (text == null || text.isBlank()) {
      throw new StoreException("invalid", field + " is required (expected: " + expected + ")", field);
    }
    String s = text.strip();
    if (s.length() > MAX_TEXT) {
      throw new StoreException("invalid", field + " is " + s.length() + " characters (expected: at most "
          + MAX_TEXT + ")", field);
    }
    return s;
  }

  /** Runs one UPDATE with {@code args} bound in order (see {@link #bind}). */
  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, Arrays.asList(args));
      ps.executeUpdate();
    }
  }

  /** Binds each argument by its type: Long, Integer, or (anything else) String. */
  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  private static String likePrefix(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
