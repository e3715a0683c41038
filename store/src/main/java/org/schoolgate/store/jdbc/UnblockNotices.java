package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import org.schoolgate.store.ConsoleLinks;
import org.schoolgate.store.Notification;
import org.schoolgate.store.Role;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;

/**
 * Who is told about an unblock request, following the approval rules: an ordinary request goes to
 * the technicians, one touching a sensitive category to the DSL and senior leaders, a filter
 * bypass to the senior leaders (when nobody holds those roles, to everyone who may approve it);
 * never to the requester. The decision goes to the requester.
 */
final class UnblockNotices {
  private static final Set<Role> ANY_APPROVER = EnumSet.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);

  private final NotificationRows rows;

  UnblockNotices(NotificationRows rows) {
    this.rows = rows;
  }

  void requested(Connection c, UnblockRecord r) throws SQLException {
    Set<Role> approvers;
    Set<Role> fallback;
    String what;
    if (r.request().bypass()) {
      approvers = EnumSet.of(Role.SENIOR_LEADER);
      fallback = EnumSet.noneOf(Role.class);
      what = "Filter bypass request ";
    } else if (r.request().sensitive()) {
      approvers = EnumSet.of(Role.DSL, Role.SENIOR_LEADER);
      fallback = EnumSet.noneOf(Role.class);
      what = "Sensitive unblock request ";
    } else {
      approvers = EnumSet.of(Role.TECHNICIAN);
      fallback = ANY_APPROVER;
      what = "Unblock request ";
    }
    String subject = what + r.id() + ": " + r.request().target().text() + " for " + BypassAlert.scopeText(r.request().scope())
        + " (asked by " + r.requestedBy() + ")";
    String body = "Reason: " + r.request().reason() + "\nFrom " + r.request().from() + " until " + r.request().until()
        + (r.request().categories().isEmpty() ? "" : "\nCategories: " + r.request().categories())
        + (r.request().sensitive() ? "\nSensitive: only the DSL or a senior leader can approve it." : "");
    rows.toRoles(c, approvers, fallback, r.requestedById(), new NotificationRows.Message(
        Notification.Kinds.UNBLOCK_REQUESTED, subject, body, ConsoleLinks.unblock(r.id().value())));
  }

  void decided(Connection c, UnblockRecord r) throws SQLException {
    if (r.requestedById() == null) {
      return;
    }
    boolean approved = r.status() == UnblockStatus.APPROVED;
    String subject = "Your unblock request " + r.id() + " (" + r.request().target().text() + ") was "
        + (approved ? "approved" : "denied") + " by " + r.decidedBy();
    String body = (approved ? "In force from " + r.request().from() + " until " + r.request().until() + "." : "Not unblocked.")
        + (r.decisionNote() == null || r.decisionNote().isBlank() ? "" : "\nNote: " + r.decisionNote());
    rows.toAccount(c, r.requestedById(), new NotificationRows.Message(
        approved ? Notification.Kinds.UNBLOCK_APPROVED : Notification.Kinds.UNBLOCK_DENIED, subject, body,
        ConsoleLinks.unblock(r.id().value())));
  }
}
