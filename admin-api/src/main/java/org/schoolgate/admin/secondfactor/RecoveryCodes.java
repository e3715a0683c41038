package org.schoolgate.admin.secondfactor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One-time recovery codes: {@value #COUNT} codes of 16 Base32 characters (80 random bits) shown
 * as {@code ABCD-EFGH-JKLM-NPQR}. Codes this strong need no slow hash: only their SHA-256 is kept,
 * as for session tokens.
 */
final class RecoveryCodes {
  static final int COUNT = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecoveryCodes() {}

  static List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      byte[] bytes = new byte[10];
      RANDOM.nextBytes(bytes);
      String raw = Base32.encode(bytes);
      codes.add(raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-"
          + raw.substring(12, 16));
    }
    return codes;
  }

  /** True when {@code text} looks like a recovery code (16 Base32 characters, hyphens and spaces aside). */
  static boolean looksLikeOne(String text) {
    return normalise(text).matches("[A-Z2-7]{16}");
  }

  static String hash(String code) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalise(code).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String normalise(String code) {
    return code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }
}
