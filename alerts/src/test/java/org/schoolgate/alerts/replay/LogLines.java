package org.schoolgate.alerts.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Access-log lines as the proxy's writer puts them (same field names and order, one JSON object
 * per line, {@code access-YYYY-MM-DD.jsonl} by the date in the policy zone), for the replay tests.
 */
final class LogLines {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogLines() {}

  /** A blocked plain-HTTP request for {@code http://<category>.example/page} from 10.10.3.7 in ks3-4. */
  static String blocked(Instant at, String user, String category, String level, String rule) {
    return line(at, "10.10.3.7", user, "ks3-4", "http", category + ".example", 80, "/page", null,
        List.of(category), "block", level, rule, null);
  }

  /** One line with the writer's fields (port left out when 0, like the writer). */
  static String line(Instant at, String client, String user, String group, String scheme, String host, int port,
      String path, String query, List<String> categories, String action, String level, String rule, String search) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", at.toString());
    o.put("client", client);
    o.put("user", user);
    o.put("group", group);
    o.put("method", "https".equals(scheme) ? "CONNECT" : "GET");
    o.put("scheme", scheme);
    o.put("host", host);
    if (port > 0) {
      o.put("port", port);
    }
    o.put("path", path);
    o.put("query", query);
    ArrayNode c = o.putArray("categories");
    categories.forEach(c::add);
    o.put("action", action);
    o.put("level", level);
    o.put("rule", rule);
    o.putNull("unblock");
    if (search != null) {
      o.put("search", search);
    }
    o.put("status", "block".equals(action) ? 403 : 200);
    o.put("bytesIn", 0);
    o.put("bytesOut", 512);
    o.put("durationMs", 3);
    return o.toString();
  }

  /** A DNS query's line as the writer puts it ({@code "event":"dns"}, the queried name in {@code host}). */
  static String dns(Instant at, String user, String host, String qtype, List<String> categories, String action,
      String level, String rule, String answer) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", at.toString());
    o.put("event", "dns");
    o.put("client", "10.10.3.7");
    o.put("user", user);
    o.put("group", "ks3-4");
    o.put("transport", "udp");
    o.put("host", host);
    o.put("qtype", qtype);
    ArrayNode c = o.putArray("categories");
    categories.forEach(c::add);
    o.put("action", action);
    o.put("level", level);
    o.put("rule", rule);
    o.put("answer", answer);
    o.put("rcode", "nxdomain".equals(answer) ? "NXDOMAIN" : "NOERROR");
    o.put("durationMs", 0);
    return o.toString();
  }

  /** Appends each line (with its newline) to the file of its date in London. */
  static void append(Path dir, String... lines) throws IOException {
    for (String line : lines) {
      Instant time = AccessLogLine.time(line);
      appendRaw(dir.resolve(fileName(time)), line + "\n");
    }
  }

  /** Appends {@code text} as it is (e.g. a line a crash cut short: no newline). */
  static void appendRaw(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String fileName(Instant time) {
    return org.schoolgate.policy.accesslog.AccessLogFiles.name(time.atZone(LONDON).toLocalDate());
  }
}
