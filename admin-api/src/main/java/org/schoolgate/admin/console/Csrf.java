package org.schoolgate.admin.console;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for every console form. Signed in, the token is an HMAC of the session token (a
 * synchroniser token tied to the session, nothing stored, the same on every node); before sign-in,
 * of a random {@value #COOKIE} cookie (double submit). Both cookies are {@code HttpOnly} and
 * {@code SameSite=Strict}, so another site can neither read the token nor send the cookie.
 */
public final class Csrf {
  /** The form field every console form carries. */
  public static final String FIELD = "csrf";
  /** The pre-sign-in cookie. */
  public static final String COOKIE = "schoolgate_csrf";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] LABEL = "schoolgate console csrf v1".getBytes(StandardCharsets.US_ASCII);

  private Csrf() {}

  /** The token for forms of a browser holding {@code secret} (its session token or CSRF cookie). */
  public static String token(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(LABEL));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  /** True when the posted field matches the token for {@code secret}. */
  static boolean valid(Context ctx, String secret) {
    String posted = ctx.formParam(FIELD);
    return secret != null && posted != null
        && MessageDigest.isEqual(token(secret).getBytes(StandardCharsets.US_ASCII),
            posted.getBytes(StandardCharsets.US_ASCII));
  }

  /** The browser's pre-sign-in secret, set now (for the page being rendered) if it has none. */
  public static String anonymousSecret(Context ctx) {
    String existing = ctx.cookie(COOKIE);
    if (existing != null && existing.matches("[A-Za-z0-9_-]{43}")) {
      return existing;
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Cookies.set(ctx, COOKIE, secret, -1);
    return secret;
  }
}
