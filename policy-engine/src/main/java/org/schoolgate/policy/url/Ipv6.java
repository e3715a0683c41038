package org.schoolgate.policy.url;

import java.util.Locale;

/**
 * WHATWG IPv6 parsing and serialisation: eight 16-bit pieces, one {@code ::}, an optional
 * trailing dotted IPv4; written back in lower case without leading zeros and with the longest
 * run of two or more zero pieces compressed to {@code ::} (the first run on a tie).
 *
 * <p>An IPv4-mapped address ({@code ::ffff:192.168.1.1}) is keyed as its IPv4 address
 * ({@code 192.168.1.1}), not as WHATWG's {@code ::ffff:c0a8:101}: it reaches the same
 * destination, so IPv4 list entries must see it.
 */
final class Ipv6 {
  private Ipv6() {}

  static String parse(String address, String original) {
    if (address.isEmpty()) {
      throw new IllegalArgumentException(
          "host '" + original + "' has an empty IPv6 address (expected: e.g. [::1])");
    }
    int[] pieces = new int[8];
    int piece = 0;
    int compress = -1;
    int i = 0;
    int n = address.length();
    if (address.charAt(0) == ':') {
      if (n < 2 || address.charAt(1) != ':') {
        throw bad(original, "starts with a single ':'");
      }
      i = 2;
      compress = piece = 0;
    }
    while (i < n) {
      if (piece == 8) {
        throw bad(original, "has more than 8 pieces");
      }
      if (address.charAt(i) == ':') {
        if (compress >= 0) {
          throw bad(original, "has '::' twice");
        }
        i++;
        compress = piece;
        continue;
      }
      int value = 0;
      int length = 0;
      while (length < 4 && i < n && Character.digit(address.charAt(i), 16) >= 0
          && address.charAt(i) < 0x80) {
        value = value * 16 + Character.digit(address.charAt(i), 16);
        i++;
        length++;
      }
      if (i < n && address.charAt(i) == '.') {
        if (length == 0 || piece > 6) {
          throw bad(original, "has an IPv4 part in the wrong place");
        }
        i -= length;
        int v4 = ipv4Tail(address.substring(i), original);
        pieces[piece++] = v4 >>> 16;
        pieces[piece++] = v4 & 0xffff;
        i = n;
        break;
      }
      if (i < n && address.charAt(i) == ':') {
        i++;
        if (i == n) {
          throw bad(original, "ends with a single ':'");
        }
      } else if (i < n) {
        throw new IllegalArgumentException("host '" + original + "' is not an IPv6 address: '"
            + address.charAt(i) + "' is not allowed (expected: hex digits and ':', e.g. [2001:db8::1])");
      }
      if (length == 0) {
        throw bad(original, "has an empty piece");
      }
      pieces[piece++] = value;
    }
    if (compress >= 0) {
      int swaps = piece - compress;
      piece = 7;
      while (piece != 0 && swaps > 0) {
        int from = compress + swaps - 1;
        int tmp = pieces[piece];
        pieces[piece] = pieces[from];
        pieces[from] = tmp;
        piece--;
        swaps--;
      }
    } else if (piece != 8) {
      throw bad(original, "has fewer than 8 pieces and no '::'");
    }
    return serialise(pieces);
  }

  private static int ipv4Tail(String tail, String original) {
    String[] parts = tail.split("\\.", -1);
    if (parts.length != 4) {
      throw bad(original, "has an IPv4 part that is not 4 decimal numbers");
    }
    int v4 = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        throw bad(original, "has an IPv4 part that is not 4 decimal numbers");
      }
      int value = 0;
      for (int k = 0; k < part.length(); k++) {
        char c = part.charAt(k);
        if (c < '0' || c > '9') {
          throw bad(original, "has an IPv4 part that is not 4 decimal numbers");
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        throw bad(original, "has an IPv4 part above 255");
      }
      v4 = (v4 << 8) | value;
    }
    return v4;
  }

  private static String serialise(int[] pieces) {
    boolean mapped = pieces[5] == 0xffff;
    for (int k = 0; k < 5; k++) {
      mapped &= pieces[k] == 0;
    }
    if (mapped) {
      return (pieces[6] >>> 8) + "." + (pieces[6] & 0xff) + "." + (pieces[7] >>> 8) + "."
          + (pieces[7] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int k = 0; k < 8; ) {
      int run = 0;
      while (k + run < 8 && pieces[k + run] == 0) {
        run++;
      }
      if (run > bestLength) {
        bestStart = k;
        bestLength = run;
      }
      k += Math.max(run, 1);
    }
    StringBuilder out = new StringBuilder(39);
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        out.append(k == 0 ? "::" : ":");
        k += bestLength - 1;
        continue;
      }
      out.append(Integer.toHexString(pieces[k]).toLowerCase(Locale.ROOT));
      if (k < 7) {
        out.append(':');
      }
    }
    return out.toString();
  }

  private static IllegalArgumentException bad(String original, String what) {
    return new IllegalArgumentException("host '" + original + "' is not an IPv6 address: it "
        + what + " (expected: e.g. [2001:db8::1])");
  }
}
