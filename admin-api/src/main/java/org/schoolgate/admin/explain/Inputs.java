package org.schoolgate.admin.explain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

/**
 * Parses the inputs of a decision question. Each method takes the name the caller knows the
 * parameter by ({@code client} in the API, {@code --client} in the CLI) so messages use it.
 * Client addresses must be IP literals: nothing here ever performs a DNS lookup.
 */
public final class Inputs {
  /** What a valid client looks like, for messages. */
  public static final String CLIENT_EXPECTED =
      "an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1";
  /** What a valid URL looks like, for messages. */
  public static final String URL_EXPECTED =
      "an absolute URL such as http://example.com/path or a host name such as example.com";

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private Inputs() {}

  /** Parses an IPv4 or IPv6 literal (brackets allowed); throws {@link InputException} otherwise. */
  public static InetAddress client(String text, String field) {
    if (text == null || text.isBlank()) {
      throw InputException.missing(field, CLIENT_EXPECTED);
    }
    String t = text.trim();
    if (t.length() > 2 && t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    var v4 = IPV4.matcher(t);
    if (v4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          throw notAnAddress(field, text);
        }
        bytes[i] = (byte) octet;
      }
      return byAddress(bytes);
    }
    if (IPV6.matcher(t).matches()) {
      try {
        return InetAddress.getByName(t); // a literal with ':' is parsed, never resolved
      } catch (UnknownHostException e) {
        throw notAnAddress(field, text);
      }
    }
    throw notAnAddress(field, text);
  }

  /**
   * Parses a time: local date-time in {@code zone} ({@code 2026-11-23T12:30}) or ISO-8601 with an
   * offset ({@code 2026-11-23T12:30:00Z}, {@code 2026-11-23T12:30+01:00}). Absent means now.
   */
  public static Instant at(String text, ZoneId zone, Clock clock, String field) {
    if (text == null || text.isBlank()) {
      return clock.instant();
    }
    String t = text.trim();
    try {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeException notLocal) {
      // try the forms with an offset or zone
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException notOffset) {
      // try a zone id in brackets
    }
    try {
      return ZonedDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      throw InputException.invalid(field, text, "is not a date and time",
          "local time in the policy's time zone " + zone.getId() + " such as 2026-11-23T12:30, "
              + "or ISO-8601 with an offset such as 2026-11-23T12:30:00Z");
    }
  }

  private static InputException notAnAddress(String field, String text) {
    return InputException.invalid(field, text, "is not an IP address", CLIENT_EXPECTED);
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always a valid address", e);
    }
  }
}
