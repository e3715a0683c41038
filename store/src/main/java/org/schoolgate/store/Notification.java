package org.schoolgate.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Something one person is told: in the console's list until read, and by email when the account
 * has an address.
 *
 * @param kind what happened, e.g. {@code unblock-requested}
 * @param link the console page of the item ({@link ConsoleLinks}), e.g. {@code /unblocks/12}
 * @param readAt when the person marked it read, or null
 * @param emailState where its email copy is
 */
public record Notification(
    NotificationId id, AccountId account, String kind, String subject, String body, String link,
    Instant createdAt, Instant readAt, EmailState emailState) {
  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(emailState, "emailState");
  }

  public boolean read() {
    return readAt != null;
  }

  /** What kinds of notification there are. */
  public static final class Kinds {
    /** A new unblock request for an approver. */
    public static final String UNBLOCK_REQUESTED = "unblock-requested";
    /** The requester's request was approved. */
    public static final String UNBLOCK_APPROVED = "unblock-approved";
    /** The requester's request was denied. */
    public static final String UNBLOCK_DENIED = "unblock-denied";
    /** A new site report for the technicians. */
    public static final String SITE_REPORTED = "site-reported";
    /** A technician answered the reporter's site report. */
    public static final String SITE_REPORT_ANSWERED = "site-report-answered";

    private Kinds() {}
  }

  /** The email copy's state. */
  public enum EmailState {
    /** The account had no email address when it was raised: console only. */
    NONE,
    /** Still to send (possibly after failed attempts). */
    PENDING,
    SENT,
    /** Given up; the reason is kept. */
    FAILED;

    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EmailState> parse(String name) {
      return Arrays.stream(values()).filter(s -> s.apiName().equals(name)).findFirst();
    }
  }
}
