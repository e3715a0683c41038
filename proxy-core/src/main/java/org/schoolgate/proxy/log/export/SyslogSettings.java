package org.schoolgate.proxy.log.export;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how access-log lines go to syslog (RFC 5424).
 *
 * @param host the receiver's name or address
 * @param port the receiver's port (514 is the usual one for UDP and TCP)
 * @param transport {@code UDP} (one datagram per line, RFC 5426) or {@code TCP} (octet counting,
 *     RFC 6587)
 * @param facility the syslog facility number, 0..23 ({@link #facility(String)} reads a name such as
 *     {@code local0})
 * @param hostname the HOSTNAME field, or null for this machine's name
 * @param queue lines waiting to be sent at most; more are dropped and counted
 */
public record SyslogSettings(String host, int port, Transport transport, int facility, String hostname, int queue) {
  /** The facility names of RFC 5424, in number order. */
  static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
      "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
      "local3", "local4", "local5", "local6", "local7");
  public static final int DEFAULT_FACILITY = 16;
  public static final int DEFAULT_QUEUE = 16_384;

  /** How lines travel. */
  public enum Transport {
    UDP,
    TCP
  }

  public SyslogSettings {
    if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("access-log.syslog.host '" + host
          + "' (expected: the syslog receiver's name or address, such as 10.0.0.5 or siem.school.example)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("access-log.syslog.port " + port + " (expected: 1..65535, usually 514)");
    }
    Objects.requireNonNull(transport, "access-log.syslog.transport is null (expected: udp or tcp)");
    if (facility < 0 || facility > 23) {
      throw new IllegalArgumentException("access-log.syslog.facility " + facility
          + " (expected: 0..23 or a name such as local0)");
    }
    if (hostname != null && (hostname.isEmpty() || hostname.length() > 255
        || hostname.chars().anyMatch(c -> c < 33 || c > 126))) {
      throw new IllegalArgumentException("access-log.syslog.hostname '" + hostname
          + "' (expected: 1 to 255 printable ASCII characters without spaces, or leave it out for this machine's name)");
    }
    if (queue < 1 || queue > 1_048_576) {
      throw new IllegalArgumentException("access-log.syslog.queue " + queue + " (expected: 1..1048576)");
    }
  }

  /** UDP or TCP to {@code host:port}, facility local0, this machine's name, the default queue. */
  public static SyslogSettings of(String host, int port, Transport transport) {
    return new SyslogSettings(host, port, transport, DEFAULT_FACILITY, null, DEFAULT_QUEUE);
  }

  /** The number of a facility name ({@code local0} → 16); the message lists the names. */
  public static int facility(String name) {
    int n = FACILITIES.indexOf(name == null ? "" : name.toLowerCase(Locale.ROOT));
    if (n < 0) {
      throw new IllegalArgumentException("access-log.syslog.facility '" + name + "' (expected one of: "
          + String.join(", ", FACILITIES) + ")");
    }
    return n;
  }
}
