package org.schoolgate.deploy;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.schoolgate.proxy.log.export.LogExports;
import org.schoolgate.proxy.log.export.SyslogSettings;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the copies of the access log from its section ({@code access-log.squid: true} and
 * {@code access-log.syslog: {host, port, transport, facility, hostname, queue}}), reporting
 * through the loader (file:line: field).
 *
 * <pre>
 * access-log:
 *   dir: /var/log/schoolgate
 *   squid: true                  # also squid-access-YYYY-MM-DD.log, Squid's native format
 *   syslog:
 *     host: 10.0.0.5
 *     port: 514                  # default 514
 *     transport: tcp             # udp (default) or tcp (octet counting)
 *     facility: local0           # default local0
 * </pre>
 */
final class LogExportsReader {
  static final Set<String> KEYS = Set.of("dir", "squid", "syslog");
  private static final Set<String> SYSLOG_KEYS = Set.of("host", "port", "transport", "facility", "hostname", "queue");
  private final RuntimeConfigLoader in;

  LogExportsReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  /** {@code section}: the access-log mapping already read. */
  LogExports read(Map<String, Node> section) {
    boolean squid = false;
    Node squidNode = section.get("squid");
    if (squidNode != null) {
      String s = in.scalar(squidNode, "access-log.squid");
      if ("true".equals(s)) {
        squid = true;
      } else if (s != null && !"false".equals(s)) {
        in.error(squidNode, "access-log.squid", "'" + s + "' (expected: true or false)");
      }
    }
    SyslogSettings syslog = section.get("syslog") == null ? null : syslog(section.get("syslog"));
    return new LogExports(squid, syslog);
  }

  private SyslogSettings syslog(Node node) {
    String f = "access-log.syslog";
    Map<String, Node> m = in.mapping(node, f, SYSLOG_KEYS);
    if (m.get("host") == null) {
      in.error(node, f + ".host", "is required (expected: the syslog receiver's name or address, such as 10.0.0.5)");
      return null;
    }
    String host = in.scalar(m.get("host"), f + ".host");
    int port = integer(m.get("port"), f + ".port", 514);
    SyslogSettings.Transport transport = SyslogSettings.Transport.UDP;
    if (m.get("transport") != null) {
      String t = in.scalar(m.get("transport"), f + ".transport");
      if ("tcp".equalsIgnoreCase(t) || "udp".equalsIgnoreCase(t)) {
        transport = SyslogSettings.Transport.valueOf(t.toUpperCase(Locale.ROOT));
      } else {
        in.error(m.get("transport"), f + ".transport", "'" + t + "' (expected: udp or tcp)");
      }
    }
    int facility = SyslogSettings.DEFAULT_FACILITY;
    if (m.get("facility") != null) {
      String s = in.scalar(m.get("facility"), f + ".facility");
      try {
        facility = s != null && s.matches("\\d{1,2}") ? Integer.parseInt(s) : SyslogSettings.facility(s);
      } catch (IllegalArgumentException e) {
        in.problem(m.get("facility"), e.getMessage());
      }
    }
    String hostname = m.get("hostname") == null ? null : in.scalar(m.get("hostname"), f + ".hostname");
    int queue = integer(m.get("queue"), f + ".queue", SyslogSettings.DEFAULT_QUEUE);
    try {
      return new SyslogSettings(host, port, transport, facility, hostname, queue);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      Node at = node;
      for (Map.Entry<String, Node> k : m.entrySet()) {
        if (msg.startsWith(f + "." + k.getKey() + " ")) {
          at = k.getValue();
        }
      }
      in.problem(at, msg);
      return null;
    }
  }

  private int integer(Node node, String field, int fallback) {
    if (node == null) {
      return fallback;
    }
    String s = in.scalar(node, field);
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      in.error(node, field, "'" + s + "' is not a whole number");
      return fallback;
    }
  }
}
