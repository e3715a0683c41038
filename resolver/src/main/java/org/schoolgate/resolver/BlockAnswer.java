package org.schoolgate.resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What a client gets for a name its group may not visit: the block-page address (A and AAAA
 * answers pointing at the page listener, which shows the block page for the name the browser asked
 * for) or NXDOMAIN (the name does not exist). In a policy file's terms: {@code address 10.0.0.5},
 * {@code address 10.0.0.5 fd00::5} or {@code nxdomain}.
 */
public sealed interface BlockAnswer permits BlockAnswer.Address, BlockAnswer.NxDomain {

  /** NXDOMAIN for every blocked name. */
  BlockAnswer NXDOMAIN = new NxDomain();

  /** The text of a config value, as {@link #parse} reads it. */
  String text();

  /**
   * Reads {@code nxdomain}, {@code address IPV4}, {@code address IPV6} or {@code address IPV4
   * IPV6}; throws {@link IllegalArgumentException} with a message that says what was expected.
   */
  static BlockAnswer parse(String text) {
    String expected = " (expected: nxdomain, or address followed by an IPv4 and/or an IPv6 address of the"
        + " block-page listener, such as 'address 10.0.0.5' or 'address 10.0.0.5 fd00::5')";
    String[] words = text == null ? new String[0] : text.trim().split("\\s+");
    if (words.length == 1 && words[0].toLowerCase(Locale.ROOT).equals("nxdomain")) {
      return NXDOMAIN;
    }
    if (words.length < 2 || words.length > 3 || !words[0].toLowerCase(Locale.ROOT).equals("address")) {
      throw new IllegalArgumentException("'" + text + "' is not a block answer" + expected);
    }
    Inet4Address v4 = null;
    Inet6Address v6 = null;
    for (int i = 1; i < words.length; i++) {
      InetAddress a = literal(words[i], text, expected);
      if (a instanceof Inet4Address four && v4 == null) {
        v4 = four;
      } else if (a instanceof Inet6Address six && v6 == null) {
        v6 = six;
      } else {
        throw new IllegalArgumentException("'" + text + "' names two addresses of one family" + expected);
      }
    }
    return new Address(v4, v6);
  }

  private static InetAddress literal(String word, String text, String expected) {
    boolean looksLiteral = word.matches("[0-9.]+") || word.indexOf(':') >= 0 && word.matches("[0-9A-Fa-f:.]+");
    if (looksLiteral) {
      try {
        return InetAddress.getByName(word); // a literal is parsed, never looked up
      } catch (UnknownHostException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("'" + text + "': '" + word + "' is not an IP address" + expected);
  }

  /**
   * Blocked names resolve to the block-page listener: A queries to {@code ipv4}, AAAA queries to
   * {@code ipv6}; a query with no address of its family (and every other type) gets an empty
   * answer (NODATA). At least one address is required.
   */
  record Address(Inet4Address ipv4, Inet6Address ipv6) implements BlockAnswer {
    public Address {
      if (ipv4 == null && ipv6 == null) {
        throw new IllegalArgumentException("a block answer address needs an IPv4 or an IPv6 address"
            + " (expected: the block-page listener's address, such as 10.0.0.5)");
      }
    }

    @Override
    public String text() {
      return "address" + (ipv4 == null ? "" : " " + ipv4.getHostAddress())
          + (ipv6 == null ? "" : " " + ipv6.getHostAddress());
    }
  }

  /** Blocked names do not exist. */
  record NxDomain() implements BlockAnswer {
    @Override
    public String text() {
      return "nxdomain";
    }
  }
}
