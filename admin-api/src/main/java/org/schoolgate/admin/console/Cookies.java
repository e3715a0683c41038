package org.schoolgate.admin.console;

import io.javalin.http.Context;

/** The console's cookies: always {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}, {@code Secure} over TLS. */
public final class Cookies {
  private Cookies() {}

  /** Sets {@code name}; {@code maxAgeSeconds} -1 for a browser-session cookie, 0 to delete it. */
  public static void set(Context ctx, String name, String value, long maxAgeSeconds) {
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/" + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "")
        + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
  }

  public static void delete(Context ctx, String name) {
    set(ctx, name, "", 0);
  }
}
