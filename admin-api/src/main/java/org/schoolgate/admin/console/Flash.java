package org.schoolgate.admin.console;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A message for the next page after a form post (post, redirect, get): kept for one minute in a
 * cookie, shown once (escaped like any text) and cleared. {@code error} messages show as an error
 * summary, others as a success banner.
 */
public record Flash(boolean error, String message) {
  static final String COOKIE = "schoolgate_flash";

  /** Sets a success message for the next page. */
  public static void success(Context ctx, String message) {
    set(ctx, false, message);
  }

  /** Sets an error message for the next page. */
  public static void error(Context ctx, String message) {
    set(ctx, true, message);
  }

  private static void set(Context ctx, boolean error, String message) {
    String text = message.length() > 600 ? message.substring(0, 600) + "…" : message;
    Cookies.set(ctx, COOKIE, (error ? "e" : "s") + URLEncoder.encode(text, StandardCharsets.UTF_8), 60);
  }

  /** The message set by the previous request, once; null if none. */
  static Flash take(Context ctx) {
    String raw = ctx.cookie(COOKIE);
    if (raw == null || raw.length() < 2) {
      return null;
    }
    Cookies.delete(ctx, COOKIE);
    try {
      return new Flash(raw.charAt(0) == 'e', URLDecoder.decode(raw.substring(1), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
