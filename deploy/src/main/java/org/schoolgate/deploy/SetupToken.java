package org.schoolgate.deploy;

import java.security.SecureRandom;
import java.util.Base64;

/** The first-run token: 192 random bits, URL-safe, shown once in the banner and never logged. */
final class SetupToken {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SetupToken() {}

  static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
