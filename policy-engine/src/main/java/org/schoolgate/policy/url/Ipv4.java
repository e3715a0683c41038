package org.schoolgate.policy.url;

/**
 * WHATWG IPv4 host parsing: a host whose last label is a number is an address, written in any of
 * the forms browsers accept — decimal {@code 3232235777}, hex {@code 0xC0.0xA8.1.1}, octal
 * {@code 0300.0250.1.1} and short forms {@code 192.168.257}, {@code 127.1} — and is keyed by its
 * dotted-quad form, so every spelling of one address meets the same list entry.
 */
final class Ipv4 {
  private Ipv4() {}

  /**
   * True when the last label (ignoring one trailing dot) is all digits or {@code 0x} hex: the
   * WHATWG "ends in a number" test. Such a host must parse as an IPv4 address or is invalid.
   * Allocates nothing.
   */
  static boolean endsInNumber(CharSequence host) {
    int end = host.length();
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    int start = end;
    while (start > 0 && host.charAt(start - 1) != '.') {
      start--;
    }
    if (start == end) {
      return false;
    }
    boolean digits = true;
    for (int i = start; i < end; i++) {
      char c = host.charAt(i);
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
    }
    if (digits) {
      return true;
    }
    if (end - start < 2 || host.charAt(start) != '0' || (host.charAt(start + 1) | 0x20) != 'x') {
      return false;
    }
    for (int i = start + 2; i < end; i++) {
      if (Character.digit(host.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** True for a canonical dotted quad: four decimal parts 0–255, no leading zeros. */
  static boolean isCanonical(CharSequence host) {
    int parts = 0;
    int value = 0;
    int len = 0;
    for (int i = 0; i <= host.length(); i++) {
      char c = i == host.length() ? '.' : host.charAt(i);
      if (c == '.') {
        if (len == 0 || value > 255 || (len > 1 && host.charAt(i - len) == '0')) {
          return false;
        }
        parts++;
        value = 0;
        len = 0;
      } else if (c >= '0' && c <= '9' && len < 4) {
        value = value * 10 + (c - '0');
        len++;
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  /** Parses an address in any WHATWG form; throws IllegalArgumentException naming the problem. */
  static String parse(String host, String original) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) {
      throw new IllegalArgumentException("host '" + original + "' ends in a number but has "
          + parts.length + " parts (expected: an IPv4 address of at most 4 parts, or a name)");
    }
    long[] numbers = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      numbers[i] = number(parts[i], original);
    }
    for (int i = 0; i < numbers.length - 1; i++) {
      if (numbers[i] > 255) {
        throw new IllegalArgumentException("host '" + original + "' has IPv4 part '" + parts[i]
            + "' = " + numbers[i] + " (expected: 0 to 255)");
      }
    }
    long last = numbers[numbers.length - 1];
    long limit = 1L << (8 * (5 - numbers.length));
    if (last >= limit) {
      throw new IllegalArgumentException("host '" + original + "' has IPv4 part '"
          + parts[parts.length - 1] + "' = " + last + " (expected: below " + limit + ")");
    }
    long address = last;
    for (int i = 0; i < numbers.length - 1; i++) {
      address += numbers[i] << (8 * (3 - i));
    }
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff)
        + "." + (address & 0xff);
  }

  private static long number(String part, String original) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException("host '" + original
          + "' has an empty IPv4 part (expected: numbers separated by single dots)");
    }
    int radix = 10;
    String digits = part;
    if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) | 0x20) == 'x') {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() >= 2 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      return 0;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), radix);
      if (d < 0 || digits.charAt(i) >= 0x80) {
        throw new IllegalArgumentException("host '" + original + "' has IPv4 part '" + part
            + "' (expected: a decimal, 0x hex or 0-prefixed octal number)");
      }
      value = value * radix + d;
      if (value > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("host '" + original + "' has IPv4 part '" + part
            + "' out of range (expected: at most 4294967295)");
      }
    }
    return value;
  }
}
