package org.schoolgate.identity.verify;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cache key of a user name and password: the lower-case user name and an HMAC-SHA256 of name
 * and password under a random key made at start (a salted hash: the password is never kept, and a
 * heap dump cannot be checked against a dictionary without that key, which dies with the process).
 */
record CredentialKey(String user, long h0, long h1, long h2, long h3) {

  /** Makes keys under one random secret. */
  static final class Maker {
    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs;

    Maker() {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      this.secret = new SecretKeySpec(key, "HmacSHA256");
      Arrays.fill(key, (byte) 0);
      this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(secret);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every Java runtime has HmacSHA256", e);
      }
    }

    CredentialKey of(String user, char[] password) {
      String name = user.toLowerCase(Locale.ROOT);
      Mac mac = macs.get();
      mac.update(name.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      mac.update(bytes.duplicate());
      Arrays.fill(bytes.array(), (byte) 0);
      ByteBuffer h = ByteBuffer.wrap(mac.doFinal());
      return new CredentialKey(name, h.getLong(), h.getLong(), h.getLong(), h.getLong());
    }
  }

  @Override
  public String toString() {
    return "CredentialKey[" + user + "]";
  }
}
