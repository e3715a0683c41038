package org.schoolgate.alerts.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.schoolgate.alerts.AccessInput;

/**
 * One line of the proxy's access log back as an {@link AccessInput}, mapped as deploy maps a live
 * access event: the fields {@code time}, {@code client}, {@code user}, {@code group},
 * {@code scheme}, {@code host}, {@code port} (absent: 0), {@code path}, {@code query},
 * {@code categories}, {@code action}, {@code level}, {@code rule} and {@code search}; the URL is
 * built by {@link AccessInput#url} ({@code host:port} for a tunnel, the full URL otherwise, also
 * for decrypted HTTPS). A line with {@code "event":"dns"} is a query the filtering resolver
 * answered: {@code host} is the queried name and {@code qtype} its type, mapped by
 * {@link AccessInput#dns}. The log does not hold the zone: the policy's is given.
 */
final class AccessLogLine {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TIME_PREFIX = "{\"time\":\"";
  /** The {@code event} field's value on the filtering resolver's lines (HTTP lines have none). */
  static final String DNS_EVENT = "dns";

  private AccessLogLine() {}

  /**
   * The event's time read from the line's start without parsing the rest (the writer puts
   * {@code time} first), or null when the line does not start like an access event.
   */
  static Instant time(String line) {
    if (!line.startsWith(TIME_PREFIX)) {
      return null;
    }
    int end = line.indexOf('"', TIME_PREFIX.length());
    if (end < 0) {
      return null;
    }
    try {
      return Instant.parse(line.substring(TIME_PREFIX.length(), end));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The event on {@code line}; empty when the line is not a whole access event (e.g. cut by a crash). */
  static Optional<AccessInput> parse(String line, ZoneId zone) {
    JsonNode e;
    try {
      e = JSON.readTree(line);
    } catch (IOException ex) {
      return Optional.empty();
    }
    if (e == null || !e.isObject()) {
      return Optional.empty();
    }
    Instant time;
    try {
      time = Instant.parse(e.path("time").asText(""));
    } catch (DateTimeParseException ex) {
      return Optional.empty();
    }
    String action = text(e, "action");
    if (action == null) {
      return Optional.empty();
    }
    List<String> categories = new ArrayList<>();
    for (JsonNode c : e.path("categories")) {
      if (c.isTextual()) {
        categories.add(c.asText());
      }
    }
    if (DNS_EVENT.equals(text(e, "event"))) {
      return Optional.of(AccessInput.dns(time, zone, text(e, "client"), text(e, "user"), text(e, "group"),
          text(e, "host"), text(e, "qtype"), categories, action, text(e, "level"), text(e, "rule")));
    }
    String scheme = text(e, "scheme");
    String host = text(e, "host");
    int port = e.path("port").asInt(0);
    String path = text(e, "path");
    String query = text(e, "query");
    String url = AccessInput.url(text(e, "method"), scheme, host, port, path, query);
    return Optional.of(new AccessInput(time, zone, text(e, "client"), text(e, "user"), text(e, "group"), host, url,
        categories, action, text(e, "level"), text(e, "rule"), text(e, "search"), AccessInput.Kind.REQUEST,
        content(e.path("content"))));
  }

  /** The line's {@code content} note, or null (absent, or without an action). */
  private static AccessInput.Content content(JsonNode c) {
    String action = text(c, "action");
    if (!c.isObject() || action == null) {
      return null;
    }
    List<String> phrases = new ArrayList<>();
    for (JsonNode p : c.path("phrases")) {
      if (p.isTextual()) {
        phrases.add(p.asText());
      }
    }
    return new AccessInput.Content(action, text(c, "theme"), c.path("score").asInt(0), c.path("threshold").asInt(0),
        phrases, text(c, "liftedBy"), c.path("cut").asBoolean(false), c.path("ai").asBoolean(false),
        text(c, "prompt"), text(c, "answer"));
  }

  private static String text(JsonNode e, String field) {
    JsonNode n = e.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
