package org.schoolgate.proxy.ca;

import io.netty.util.NetUtil;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The host a leaf is made for: a DNS name (ASCII, lower case, no trailing dot) or an IP literal
 * (IPv6 without brackets). Names are checked, never resolved.
 */
record LeafNames(String host, boolean ipAddress) {
  /** X.520's upper bound for a common name; longer names go in the SAN only. */
  private static final int MAX_COMMON_NAME = 64;

  static LeafNames of(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is empty (expected: a DNS name such as www.example.org or an IP address)");
    }
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (NetUtil.isValidIpV4Address(h)) {
      return new LeafNames(h, true);
    }
    if (h.indexOf(':') >= 0) {
      if (h.indexOf('%') < 0 && NetUtil.isValidIpV6Address(h)) {
        return new LeafNames(NetUtil.bytesToIpAddress(NetUtil.createByteArrayFromIpAddressString(h)), true);
      }
      throw invalid(host);
    }
    h = h.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.length() > 253) {
      throw invalid(host);
    }
    for (String label : h.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        throw invalid(host);
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
          throw invalid(host);
        }
      }
    }
    return new LeafNames(h, false);
  }

  private static IllegalArgumentException invalid(String host) {
    return new IllegalArgumentException("host '" + host + "' is not a DNS name or an IP address (expected: an"
        + " ASCII name such as www.example.org with IDNs in punycode, or an IPv4/IPv6 literal)");
  }

  /** {@code CN=host, O=Schoolgate}, or only {@code O=Schoolgate} when the host is too long for a CN. */
  static X500Name subject(String host) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Schoolgate");
    if (host.length() <= MAX_COMMON_NAME) {
      name.addRDN(BCStyle.CN, host);
    }
    return name.build();
  }
}
