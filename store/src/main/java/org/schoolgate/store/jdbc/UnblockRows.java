package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;

/**
 * Maps {@code unblocks} rows: the target in typed columns (kind, host, path, category), the scope
 * as JSON, and the whole record as JSON for the audit trail's before/after states.
 */
final class UnblockRows {
  static final String COLUMNS = "id, status, target_kind, target_host, target_path, target_category, scope_json,"
      + " starts_at, ends_at, reason, sensitive, categories, requested_by, requested_by_id, requested_at,"
      + " decided_by, decided_at, decision_note, ended_by, ended_at, starts_at_approval";

  private UnblockRows() {}

  static UnblockRecord read(ResultSet rs) throws SQLException {
    NewUnblock request = new NewUnblock(target(rs), scope(rs.getString("scope_json")),
        Database.instant(rs.getLong("starts_at")), Database.instant(rs.getLong("ends_at")), rs.getString("reason"),
        rs.getBoolean("sensitive"), rs.getString("categories"), rs.getBoolean("starts_at_approval"));
    long requesterId = rs.getLong("requested_by_id");
    AccountId requester = rs.wasNull() ? null : new AccountId(requesterId);
    return new UnblockRecord(new UnblockId(rs.getLong("id")), request, UnblockStatus.valueOf(rs.getString("status")),
        rs.getString("requested_by"), requester, Database.instant(rs.getLong("requested_at")),
        rs.getString("decided_by"), Database.instantOrNull(rs, "decided_at"), rs.getString("decision_note"),
        rs.getString("ended_by"), Database.instantOrNull(rs, "ended_at"));
  }

  private static UnblockTarget target(ResultSet rs) throws SQLException {
    String kind = rs.getString("target_kind");
    switch (kind) {
      case "domain":
        return new UnblockTarget.Domain(rs.getString("target_host"));
      case "url":
        return new UnblockTarget.UrlPrefix(rs.getString("target_host"), rs.getString("target_path"));
      case "category":
        return new UnblockTarget.Category(new CategoryId(rs.getString("target_category")));
      case "everything":
        return new UnblockTarget.Everything();
      default:
        throw new SQLException("unblock " + rs.getLong("id") + " has an unknown target kind '" + kind + "'");
    }
  }

  /** Binds kind, host, path, category at {@code first}.. {@code first + 3}. */
  static void bindTarget(PreparedStatement ps, int first, UnblockTarget target) throws SQLException {
    String kind;
    String host = null;
    String path = null;
    String category = null;
    if (target instanceof UnblockTarget.Domain) {
      kind = "domain";
      host = ((UnblockTarget.Domain) target).host();
    } else if (target instanceof UnblockTarget.UrlPrefix) {
      kind = "url";
      host = ((UnblockTarget.UrlPrefix) target).host();
      path = ((UnblockTarget.UrlPrefix) target).path();
    } else if (target instanceof UnblockTarget.Category) {
      kind = "category";
      category = ((UnblockTarget.Category) target).category().value();
    } else {
      kind = "everything";
    }
    ps.setString(first, kind);
    setText(ps, first + 1, host);
    setText(ps, first + 2, path);
    setText(ps, first + 3, category);
  }

  private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  static String scopeJson(UnblockScope scope) {
    return Json.text(scopeNode(scope));
  }

  private static ObjectNode scopeNode(UnblockScope scope) {
    ObjectNode node = Json.object();
    node.set("groups", Json.array(scope.groups().stream().map(GroupId::value).collect(Collectors.toCollection(TreeSet::new))));
    node.set("users", Json.array(new TreeSet<>(scope.users())));
    node.set("subnets", Json.array(scope.subnets()));
    return node;
  }

  static UnblockScope scope(String json) {
    JsonNode node = Json.parse(json);
    Set<GroupId> groups = new LinkedHashSet<>();
    node.path("groups").forEach(g -> groups.add(new GroupId(g.asText())));
    Set<String> users = new LinkedHashSet<>();
    node.path("users").forEach(u -> users.add(u.asText()));
    List<String> subnets = new ArrayList<>();
    node.path("subnets").forEach(s -> subnets.add(s.asText()));
    return new UnblockScope(groups, users, subnets);
  }

  /** The record as JSON for the audit trail. */
  static String json(UnblockRecord r) {
    ObjectNode node = Json.object();
    node.put("id", r.id().value());
    node.put("status", r.status().apiName());
    node.put("target", r.request().target().text());
    node.set("scope", scopeNode(r.request().scope()));
    node.put("from", r.request().from().toString());
    node.put("until", r.request().until().toString());
    if (r.request().fromApproval()) {
      node.put("fromApproval", true);
    }
    node.put("reason", r.request().reason());
    node.put("sensitive", r.request().sensitive());
    node.put("categories", r.request().categories());
    node.put("requestedBy", r.requestedBy());
    if (r.decidedBy() != null) {
      node.put("decidedBy", r.decidedBy());
    }
    if (r.decisionNote() != null) {
      node.put("decisionNote", r.decisionNote());
    }
    if (r.endedBy() != null) {
      node.put("endedBy", r.endedBy());
    }
    if (r.endedAt() != null) {
      node.put("endedAt", r.endedAt().toString());
    }
    return Json.text(node);
  }
}
