package org.schoolgate.admin.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.store.Notification;
import org.schoolgate.store.NotificationId;
import org.schoolgate.store.NotificationStore;

/**
 * {@code GET /api/v1/notifications} (the caller's own, newest first; {@code unread=true} for
 * unread ones only; {@code limit} 1-1000, default 50; with the unread count), {@code POST
 * /api/v1/notifications/{id}/read}, {@code POST /api/v1/notifications/read-all} and {@code PUT
 * /api/v1/me/email} ({@code {"email": "..."}}, or null to stop email copies). Nobody reads
 * another person's notifications: someone else's id is 404.
 */
public final class NotificationRoutes {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private final NotificationStore notifications;
  private final ObjectMapper mapper;

  public NotificationRoutes(NotificationStore notifications, ObjectMapper mapper) {
    this.notifications = notifications;
    this.mapper = mapper;
  }

  /** A notification as the API shows it; {@code link} is its console page. */
  record View(long id, String kind, String subject, String body, String link, Instant createdAt, boolean read,
      Instant readAt, String email) {
    static View of(Notification n) {
      return new View(n.id().value(), n.kind(), n.subject(), n.body(), n.link(), n.createdAt(), n.read(), n.readAt(),
          n.emailState().apiName());
    }
  }

  record Page(long unread, List<View> notifications) {}

  record Marked(int marked) {}

  record Email(String email) {}

  public void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    boolean unreadOnly = flag(ctx.queryParam("unread"));
    int limit = limit(ctx.queryParam("limit"));
    List<View> views = notifications.list(caller.account().id(), unreadOnly, limit).stream().map(View::of).toList();
    ctx.json(new Page(notifications.unreadCount(caller.account().id()), views));
  }

  public void read(Context ctx) {
    NotificationId id = new NotificationId(AuthRoutes.pathId(ctx));
    ctx.json(View.of(notifications.markRead(id, Caller.of(ctx).account().id())));
  }

  public void readAll(Context ctx) {
    ctx.json(new Marked(notifications.markAllRead(Caller.of(ctx).account().id())));
  }

  public void setEmail(Context ctx) {
    Caller caller = Caller.of(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String email = body.optionalText("email", "an email address such as j.smith@school.example, or null for none");
    notifications.setEmail(caller.account().id(), email, caller.actor());
    ctx.json(new Email(notifications.email(caller.account().id()).orElse(null)));
  }

  private static boolean flag(String text) {
    if (text == null || text.isBlank() || text.strip().equals("false")) {
      return false;
    }
    if (text.strip().equals("true")) {
      return true;
    }
    throw ApiException.invalid("unread", "unread '" + text + "' is not true or false (expected: unread=true for"
        + " unread notifications only)");
  }

  private static int limit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("limit", "limit '" + text + "' is not a number from 1 to " + MAX_LIMIT);
  }
}
