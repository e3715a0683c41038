package org.schoolgate.reports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.schoolgate.policy.accesslog.AccessLogFiles;

/**
 * Writes access-log lines as the proxy's writer does (the same fields, in the same order, one
 * JSON object a line, into the day file of the event's date in the school's zone), so the tests
 * read what a real installation holds.
 */
public final class LogLines {
  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final JsonFactory JSON = new JsonFactory();
  private final Path dir;

  public LogLines(Path dir) {
    this.dir = dir;
  }

  /** One request line. */
  public record Request(Instant time, String client, String user, String group, String method, String scheme,
      String host, int port, String path, String query, List<String> categories, String action, String level,
      String rule, String search, int status) {

    public static Request get(Instant time, String user, String client, String group, String url, String action,
        String rule, List<String> categories) {
      java.net.URI u = java.net.URI.create(url);
      return new Request(time, client, user, group, "GET", u.getScheme(), u.getHost(), 0, u.getRawPath(),
          u.getRawQuery(), categories, action, action.equals("block") ? "unacceptable" : "acceptable", rule, null,
          action.equals("block") ? 403 : 200);
    }

    public static Request connect(Instant time, String user, String client, String group, String host,
        String action, String rule, List<String> categories) {
      return new Request(time, client, user, group, "CONNECT", "https", host, 443, "", null, categories, action,
          action.equals("block") ? "unacceptable" : "acceptable", rule, null, action.equals("block") ? 403 : 200);
    }

    public Request search(String term) {
      return new Request(time, client, user, group, method, scheme, host, port, path, query, categories, action,
          level, rule, term, status);
    }
  }

  /** Appends {@code r} to its day file. */
  public LogLines write(Request r) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", r.time().toString());
      g.writeStringField("client", r.client());
      g.writeStringField("user", r.user());
      g.writeStringField("group", r.group());
      g.writeStringField("method", r.method());
      g.writeStringField("scheme", r.scheme());
      g.writeStringField("host", r.host());
      if (r.port() > 0) {
        g.writeNumberField("port", r.port());
      }
      g.writeStringField("path", r.path());
      g.writeStringField("query", r.query());
      g.writeArrayFieldStart("categories");
      for (String c : r.categories()) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeStringField("action", r.action());
      g.writeStringField("level", r.level());
      g.writeStringField("rule", r.rule());
      g.writeNullField("unblock");
      if (r.search() != null) {
        g.writeStringField("search", r.search());
      }
      g.writeNumberField("status", r.status());
      g.writeNumberField("bytesIn", 100);
      g.writeNumberField("bytesOut", 2000);
      g.writeNumberField("durationMs", 12);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return raw(r.time(), out + "\n");
  }

  /** A filtering-resolver DNS line. */
  public LogLines dns(Instant time, String client, String user, String group, String name, String action) {
    String line = "{\"time\":\"" + time + "\",\"event\":\"dns\",\"client\":\"" + client + "\",\"user\":"
        + (user == null ? "null" : "\"" + user + "\"") + ",\"group\":\"" + group + "\",\"transport\":\"udp\","
        + "\"host\":\"" + name + "\",\"qtype\":\"A\",\"categories\":[],\"action\":\"" + action + "\",\"level\":null,"
        + "\"rule\":\"default\",\"answer\":\"forwarded\",\"rcode\":\"NOERROR\",\"durationMs\":1}\n";
    return raw(time, line);
  }

  /** Appends {@code text} as it is to the day file of {@code time}. */
  public LogLines raw(Instant time, String text) {
    Path file = dir.resolve(AccessLogFiles.jsonLines(time.atZone(LONDON).toLocalDate()));
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
