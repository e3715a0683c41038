package org.schoolgate.store.jdbc;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}
 * (salt and hash unpadded standard base64). Verification uses the parameters stored in the hash,
 * so old hashes keep working when the cost changes, and compares in constant time.
 */
final class PasswordHasher {

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_MEMORY_KIB = 1024 * 1024;
  private static final int MAX_ITERATIONS = 100;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;
  private final SecureRandom random = new SecureRandom();
  private final String dummy;

  /** Package-private so tests can use a cheap cost. */
  PasswordHasher(int memoryKiB, int iterations, int parallelism) {
    if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("argon2 cost m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
          + " is invalid (need m >= 8*p, t >= 1, p >= 1)");
    }
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
    this.parallelism = parallelism;
    this.dummy = hash("not-a-real-password-only-for-timing".toCharArray());
  }

  /** A new PHC string for {@code password} with a fresh random salt. */
  String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** True when {@code password} matches {@code phc}; false for a malformed hash. */
  boolean verify(char[] password, String phc) {
    Parsed parsed = Parsed.of(phc);
    if (parsed == null) {
      return false;
    }
    byte[] actual = derive(password, parsed.salt, parsed.memoryKiB, parsed.iterations, parsed.parallelism,
        parsed.hash.length);
    return MessageDigest.isEqual(actual, parsed.hash);
  }

  /**
   * Spends the same work as verifying a real hash, for unknown usernames, so timing does not tell
   * which usernames exist.
   */
  void verifyDummy(char[] password) {
    verify(password, dummy);
  }

  /** True when {@code phc} was made with other parameters than this hasher's (rehash on next login). */
  boolean needsRehash(String phc) {
    Parsed parsed = Parsed.of(phc);
    return parsed == null || parsed.memoryKiB != memoryKiB || parsed.iterations != iterations
        || parsed.parallelism != parallelism || parsed.hash.length != HASH_BYTES;
  }

  /**
   * The appliance default: 19 MiB, 2 passes, 1 lane (the OWASP minimum for Argon2id), roughly
   * 100 ms on one core of a small 2-core box, so a burst of logins cannot starve the proxy.
   * Created on first use (it hashes once for {@link #verifyDummy}).
   */
  static PasswordHasher production() {
    return Production.INSTANCE;
  }

  /** Lazy holder for {@link #production()}. */
  private static final class Production {
    static final PasswordHasher INSTANCE = new PasswordHasher(19 * 1024, 2, 1);
  }

  @Override
  public String toString() {
    return "argon2id(m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + ")";
  }

  private static byte[] derive(char[] password, byte[] salt, int m, int t, int p, int length) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(m)
        .withIterations(t)
        .withParallelism(p)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  /** A parsed PHC string. */
  private static final class Parsed {
    final int memoryKiB;
    final int iterations;
    final int parallelism;
    final byte[] salt;
    final byte[] hash;

    private Parsed(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
      this.memoryKiB = memoryKiB;
      this.iterations = iterations;
      this.parallelism = parallelism;
      this.salt = salt;
      this.hash = hash;
    }

    static Parsed of(String phc) {
      if (phc == null) {
        return null;
      }
      String[] parts = phc.split("\\$");
      // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
      if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
        return null;
      }
      int m = -1;
      int t = -1;
      int p = -1;
      try {
        for (String kv : parts[3].split(",")) {
          String[] pair = kv.split("=", 2);
          if (pair.length != 2) {
            return null;
          }
          int value = Integer.parseInt(pair[1]);
          switch (pair[0]) {
            case "m": m = value; break;
            case "t": t = value; break;
            case "p": p = value; break;
            default: return null;
          }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] hash = B64D.decode(parts[5]);
        if (p < 1 || p > 16 || m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS
            || salt.length < 8 || hash.length < 16) {
          return null;
        }
        return new Parsed(m, t, p, salt, hash);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
