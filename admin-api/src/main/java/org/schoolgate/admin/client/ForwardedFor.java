package org.schoolgate.admin.client;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;

/**
 * Reads the client chain out of forwarding headers: RFC 7239 {@code Forwarded} ({@code for=} of
 * each element, a token or a quoted string, IPv6 in brackets, an optional port) and the de-facto
 * {@code X-Forwarded-For} (a comma-separated list). Hops come back in header order, nearest proxy
 * last; a hop that is not an IP literal ({@code unknown}, an obfuscated {@code _name}, garbage) is
 * empty. Nothing here resolves a name.
 */
final class ForwardedFor {
  private ForwardedFor() {}

  /** The {@code for=} node of each {@code Forwarded} element, in order; elements without one are empty. */
  static List<Optional<InetAddress>> forwarded(List<String> headerValues) {
    List<Optional<InetAddress>> hops = new ArrayList<>();
    for (String value : headerValues) {
      for (String element : split(value, ',')) {
        String node = null;
        for (String pair : split(element, ';')) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
            node = unquote(pair.substring(eq + 1).strip());
          }
        }
        hops.add(node == null ? Optional.empty() : node(node));
      }
    }
    return hops;
  }

  /** The hops of {@code X-Forwarded-For}, in order. */
  static List<Optional<InetAddress>> xForwardedFor(List<String> headerValues) {
    List<Optional<InetAddress>> hops = new ArrayList<>();
    for (String value : headerValues) {
      for (String hop : value.split(",", -1)) {
        hops.add(node(hop.strip()));
      }
    }
    return hops;
  }

  /** {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]}, {@code [2001:db8::1]:4711} or a bare IPv6. */
  static Optional<InetAddress> node(String text) {
    String t = text;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || (close + 1 < t.length() && !port(t.substring(close + 1)))) {
        return Optional.empty();
      }
      t = t.substring(1, close);
      if (t.indexOf(':') < 0) {
        return Optional.empty(); // brackets are for IPv6 only
      }
    } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf(':') > 0) {
      if (!port(t.substring(t.indexOf(':')))) {
        return Optional.empty();
      }
      t = t.substring(0, t.indexOf(':')); // IPv4 with a port
    }
    if (t.isEmpty() || t.indexOf('%') >= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Inputs.client(t, "for"));
    } catch (InputException e) {
      return Optional.empty();
    }
  }

  private static boolean port(String colonAndPort) {
    if (colonAndPort.length() < 2 || colonAndPort.length() > 6 || colonAndPort.charAt(0) != ':') {
      return false;
    }
    return colonAndPort.substring(1).chars().allMatch(Character::isDigit);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }

  /** Splits at {@code separator} outside quoted strings. */
  private static List<String> split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(part.toString().strip());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString().strip());
    return parts;
  }
}
