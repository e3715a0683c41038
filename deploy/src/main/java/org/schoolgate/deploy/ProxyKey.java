package org.schoolgate.deploy;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The proxy's key for the admin API: 256 random bits, base64url without padding (43 characters),
 * made anew at every start and never logged or written anywhere. The proxy sends it in
 * {@code X-Schoolgate-Proxy-Key} with its {@code Forwarded} header on requests to the admin
 * origin; the admin API trusts that header only when the key matches.
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
