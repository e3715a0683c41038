package org.schoolgate.policy.url;

/**
 * Hosts with {@code xn--} labels that were recently found valid, with their look-alike flag, so
 * that a host seen again costs a hash probe and an {@code equals} instead of ICU decoding: the
 * same international host on every request, or an {@code xn--} entry of a list, allocates
 * nothing after its first check.
 *
 * <p>A direct-mapped table of {@value #SIZE} slots indexed by {@link String#hashCode()}; a new host
 * replaces whatever shared its slot. Only valid hosts are stored, and a hit requires an equal
 * string, so the cache never changes an answer, only its cost. Entries are immutable records
 * written and read without locks: a reader sees either an old entry, the new one or none, and
 * checks again on a miss.
 */
final class CheckedHosts {
  private static final int SIZE = 2048;
  private static final Checked[] TABLE = new Checked[SIZE];

  /** A valid host and whether some label of it is a look-alike. */
  record Checked(String host, boolean lookAlike) {}

  private CheckedHosts() {}

  /**
   * The checked form of {@code host}, a lower-case ASCII host with an {@code xn--} label; throws
   * IllegalArgumentException naming the problem when a label does not decode to a valid name.
   */
  static Checked check(String host, String original) {
    int slot = host.hashCode() & (SIZE - 1);
    Checked c = TABLE[slot];
    if (c != null && c.host().equals(host)) {
      return c;
    }
    String unicode = HostDecoder.toUnicode(host, original);
    c = new Checked(host, LookAlikes.inUnicodeHost(unicode));
    TABLE[slot] = c;
    return c;
  }

  /** True when {@code host} (lower-case ASCII with an {@code xn--} label) is valid. */
  static boolean isValid(String host) {
    try {
      check(host, host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * True when {@code host} has a label starting with {@code xn--} (in any case): an ASCII host
   * that still needs decoding to be checked. Allocates nothing.
   */
  static boolean hasAceLabel(CharSequence host) {
    int n = host.length();
    for (int i = 0; i + 4 <= n; i++) {
      if ((i == 0 || host.charAt(i - 1) == '.') && (host.charAt(i) | 0x20) == 'x'
          && (host.charAt(i + 1) | 0x20) == 'n' && host.charAt(i + 2) == '-' && host.charAt(i + 3) == '-') {
        return true;
      }
    }
    return false;
  }
}
