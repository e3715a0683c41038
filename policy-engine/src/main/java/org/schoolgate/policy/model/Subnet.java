package org.schoolgate.policy.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR form, e.g. {@code 10.10.0.0/16} or {@code fd00::/8}. A bare
 * address means a single host ({@code /32} or {@code /128}).
 *
 * <pre>{@code
 * Subnet s = Subnet.parse("10.10.0.0/16");
 * s.contains(InetAddress.getByName("10.10.3.4")); // true
 * }</pre>
 *
 * @param network the network address bytes (4 or 16), host bits zero
 * @param prefix the prefix length
 */
public record Subnet(byte[] network, int prefix) {
  public Subnet {
    Objects.requireNonNull(network, "network");
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException(
          "network has " + network.length + " bytes (expected: 4 for IPv4 or 16 for IPv6)");
    }
    int bits = network.length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(
          "prefix " + prefix + " is out of range (expected: 0-" + bits + ")");
    }
    network = network.clone();
  }

  /**
   * Parses {@code address/prefix} or a bare address. Never resolves names: anything that is not
   * an IPv4 or IPv6 literal is rejected with a message saying what was expected.
   */
  public static Subnet parse(String cidr) {
    Objects.requireNonNull(cidr, "cidr");
    String s = cidr.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = parseAddress(address, cidr);
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + cidr + "': prefix '" + p
            + "' is not a number (expected: 0-" + bits + ", e.g. " + address + "/" + (bits == 32 ? 16 : 64) + ")");
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        throw new IllegalArgumentException("'" + cidr + "': prefix " + prefix + " is out of range (expected: 0-"
            + bits + " for " + (bits == 32 ? "IPv4" : "IPv6") + ")");
      }
    }
    byte[] masked = mask(bytes, prefix);
    if (!Arrays.equals(masked, bytes)) {
      throw new IllegalArgumentException("'" + cidr + "' has host bits set (expected: "
          + format(masked) + "/" + prefix + ")");
    }
    return new Subnet(bytes, prefix);
  }

  /** True when {@code address} is inside this network (an IPv4 address never matches IPv6). */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** True when the raw address bytes are inside this network. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (address[full] & m) == (network[full] & m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subnet other && other.prefix == prefix && Arrays.equals(other.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }

  private static byte[] parseAddress(String address, String cidr) {
    if (address.indexOf(':') >= 0) {
      for (int i = 0; i < address.length(); i++) {
        char c = address.charAt(i);
        if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
          throw new IllegalArgumentException(
              "'" + cidr + "' is not an IPv6 network (expected: e.g. fd00::/8)");
        }
      }
      try {
        // A string containing ':' is parsed as a literal; InetAddress never resolves it.
        byte[] b = InetAddress.getByName(address).getAddress();
        if (b.length == 4) {
          throw new IllegalArgumentException(
              "'" + cidr + "' is an IPv4-mapped address (expected: write it as IPv4, e.g. 10.0.0.0/8)");
        }
        return b;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "'" + cidr + "' is not an IPv6 network (expected: e.g. fd00::/8)", e);
      }
    }
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + cidr
          + "' is not an IPv4 or IPv6 network (expected: e.g. 10.10.0.0/16 or fd00::/8)");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
          || Integer.parseInt(p) > 255) {
        throw new IllegalArgumentException("'" + cidr + "': '" + p
            + "' is not an IPv4 address part (expected: 0-255, e.g. 10.10.0.0/16)");
      }
      b[i] = (byte) Integer.parseInt(p);
    }
    return b;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      int m = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
      out[i] = (byte) (out[i] & m);
    }
    return out;
  }

  private static String format(byte[] b) {
    try {
      InetAddress a = InetAddress.getByAddress(b);
      return a instanceof Inet4Address ? a.getHostAddress() : compress(a.getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Shortens the longest run of zero groups in Java's full IPv6 form to "::". */
  private static String compress(String full) {
    String[] g = full.split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < g.length; ) {
      if (g[i].equals("0")) {
        int j = i;
        while (j < g.length && g[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String left = String.join(":", Arrays.copyOfRange(g, 0, bestStart));
    String right = String.join(":", Arrays.copyOfRange(g, bestStart + bestLen, g.length));
    return left + "::" + right;
  }
}
