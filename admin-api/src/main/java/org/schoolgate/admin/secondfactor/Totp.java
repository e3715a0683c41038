package org.schoolgate.admin.secondfactor;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP codes (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1 of the 30-second time step, dynamically
 * truncated to 6 digits: what every authenticator app computes by default. Written here rather
 * than taken from a library because it is one HMAC and a truncation, and the well-known Java TOTP
 * libraries are no longer maintained; {@code TotpTest} checks it against the RFC's vectors.
 */
final class Totp {
  /** Seconds per time step. */
  static final int PERIOD = 30;
  static final int DIGITS = 6;
  /** Steps either side of now that are accepted: ±30 s of clock drift. */
  static final int WINDOW = 1;

  private Totp() {}

  static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), PERIOD);
  }

  /** The code of {@code step} for {@code secret}, zero-padded. */
  static String code(byte[] secret, long step) {
    return code(secret, step, DIGITS, "HmacSHA1");
  }

  static String code(byte[] secret, long step, int digits, String algorithm) {
    byte[] message = new byte[8];
    for (int i = 7; i >= 0; i--) {
      message[i] = (byte) (step & 0xff);
      step >>>= 8;
    }
    byte[] hash;
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, "RAW"));
      hash = mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + algorithm, e);
    }
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    int modulus = 1;
    for (int i = 0; i < digits; i++) {
      modulus *= 10;
    }
    String text = Integer.toString(binary % modulus);
    return "0".repeat(digits - text.length()) + text;
  }

  /**
   * The time step whose code {@code code} is, within {@link #WINDOW} steps of {@code at}, or empty.
   * Compared in constant time.
   */
  static OptionalLong match(byte[] secret, String code, Instant at) {
    if (code == null || code.length() != DIGITS) {
      return OptionalLong.empty();
    }
    long now = step(at);
    long found = Long.MIN_VALUE;
    for (long s = now - WINDOW; s <= now + WINDOW; s++) {
      if (MessageDigest.isEqual(code(secret, s).getBytes(), code.getBytes())) {
        found = s;
      }
    }
    return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
  }
}
