package org.schoolgate.deploy;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-process secret the proxy sends to the admin API beside its {@code Forwarded} header
 * ({@code X-Schoolgate-Proxy-Key}), so the admin API believes the client address only from the
 * proxy itself: 256 random bits, base64url, made anew at every start, never written anywhere.
 */
final class ProxyKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ProxyKey() {}

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
