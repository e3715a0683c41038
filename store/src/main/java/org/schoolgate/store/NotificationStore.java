package org.schoolgate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Notifications for people. The store raises them itself, in the transaction of the change that
 * causes them: a new unblock request notifies every enabled account that may approve it (not the
 * requester: four eyes), a decision notifies the requester, a site report the technicians and its
 * answer the reporter. Each is listed in the person's console until read; when the account has an
 * email address its copy is delivered by the alert delivery worker (claimed with a lease, retried
 * like alerts).
 *
 * <pre>{@code
 * store.notifications().list(account, true, 50);
 * store.notifications().markRead(id, account);
 * }</pre>
 */
public interface NotificationStore {

  /** The account's notifications, newest first (at most {@code limit}, 1-1000), only unread ones if asked. */
  List<Notification> list(AccountId account, boolean unreadOnly, int limit);

  /** How many of the account's notifications are unread. */
  long unreadCount(AccountId account);

  /** Marks one read; {@code not_found} unless it is the account's own. Marking twice changes nothing. */
  Notification markRead(NotificationId id, AccountId account);

  /** Marks all of the account's notifications read; returns how many were unread. */
  int markAllRead(AccountId account);

  /** The account's email address for notifications, if it has one. */
  Optional<String> email(AccountId account);

  /**
   * Sets (or with null, removes) the account's email address; audited as
   * {@code account.email_changed}. {@code invalid} for something that is not an address.
   */
  void setEmail(AccountId account, String email, Actor actor);

  /**
   * Claims up to {@code limit} (1-1000) pending emails due at {@code now}, oldest first: each
   * one's attempts go up by one and it is not due again until {@code now + lease} unless marked.
   */
  List<NotificationEmail> claimDueEmails(Instant now, Duration lease, int limit);

  /** Pending → sent. False if it was not pending. */
  boolean emailSent(NotificationId id, Instant at);

  /** Stays pending, due again at {@code next}; records the error. False if not pending. */
  boolean emailRetry(NotificationId id, Instant next, String error);

  /** Pending → failed with {@code error}. False if not pending. */
  boolean emailFailed(NotificationId id, String error);

  /** When the oldest still-pending email's notification was raised, if any. */
  Optional<Instant> oldestPendingEmail();
}
