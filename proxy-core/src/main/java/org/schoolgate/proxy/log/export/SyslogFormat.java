package org.schoolgate.proxy.log.export;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import org.schoolgate.proxy.log.AccessEvent;

/**
 * One access event as an RFC 5424 syslog message:
 *
 * <pre>
 * &lt;134&gt;1 2026-12-07T09:00:00.123Z proxy1 schoolgate 4242 access [access@32473 client="10.1.4.20"
 *   user="alex" group="pupils" method="GET" url="http://casino.example/" action="block"
 *   level="unacceptable" rule="matrix:gambling/pupils" categories="gambling" status="403"
 *   bytes="1890" elapsed="42"] 1796900400.165 42 10.1.4.20 TCP_DENIED/403 ...
 * </pre>
 *
 * PRI is facility × 8 + severity (informational for allowed, notice for blocked, warning for a
 * request answered without a decision); TIMESTAMP is the request's time in UTC with milliseconds;
 * the structured data carries the fields (absent ones left out, values escaped as RFC 5424 §6.3.3
 * says), and MSG is the same event's squid-format line, so a parser for either works. SD-ID
 * {@value #SD_ID} uses 32473, the enterprise number IANA reserves for documentation, as nobody
 * registered one for Schoolgate.
 */
final class SyslogFormat {
  static final String SD_ID = "access@32473";
  static final String APP_NAME = "schoolgate";
  static final String MSG_ID = "access";
  private static final int INFO = 6;
  private static final int NOTICE = 5;
  private static final int WARNING = 4;

  private final int facility;
  private final String hostname;
  private final String procId;

  SyslogFormat(int facility, String hostname, long pid) {
    this.facility = facility;
    this.hostname = hostname;
    this.procId = Long.toString(pid);
  }

  byte[] message(AccessEvent e, String squidLine) {
    int severity = switch (e.action()) {
      case "allow" -> INFO;
      case "block" -> NOTICE;
      default -> WARNING;
    };
    StringBuilder b = new StringBuilder(400);
    b.append('<').append(facility * 8 + severity).append(">1 ")
        .append(e.time().truncatedTo(ChronoUnit.MILLIS)).append(' ')
        .append(hostname).append(' ').append(APP_NAME).append(' ').append(procId).append(' ').append(MSG_ID)
        .append(" [").append(SD_ID);
    param(b, "client", e.client());
    param(b, "user", e.user());
    param(b, "group", e.group());
    param(b, "method", e.method());
    param(b, "url", SquidFormat.url(e));
    param(b, "action", e.action());
    param(b, "level", e.level());
    param(b, "rule", e.rule());
    param(b, "categories", e.categories().isEmpty() ? null : String.join(",", e.categories()));
    param(b, "unblock", e.unblock() == null ? null : e.unblock().toString());
    param(b, "search", e.search());
    param(b, "status", Integer.toString(e.status()));
    param(b, "bytes", Long.toString(e.bytesOut()));
    param(b, "elapsed", Long.toString(e.durationMs()));
    b.append("] ").append(squidLine);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code name="value"}, with {@code "}, {@code \} and {@code ]} escaped; nothing when absent. */
  private static void param(StringBuilder b, String name, String value) {
    if (value == null || value.isEmpty() || "-".equals(value)) {
      return;
    }
    b.append(' ').append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        b.append('\\');
      }
      b.append(c == '\n' || c == '\r' ? ' ' : c);
    }
    b.append('"');
  }
}
