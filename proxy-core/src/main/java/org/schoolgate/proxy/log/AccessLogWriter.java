package org.schoolgate.proxy.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AccessEvent}s (and the resolver's {@link DnsEvent}s) as JSON lines with Jackson's
 * streaming generator, switching to {@code access-YYYY-MM-DD.jsonl} for each event's date in its
 * policy time zone (files are appended to, so a restart or a late event never truncates). Used by
 * the writer thread only.
 */
final class AccessLogWriter {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Path dir;
  private LocalDate date;
  private OutputStream out;
  private JsonGenerator json;
  private boolean dirty;
  private long lastErrorLog;

  AccessLogWriter(Path dir) {
    this.dir = dir;
  }

  static String fileName(LocalDate date) {
    return AccessLogFiles.jsonLines(date);
  }

  void write(AccessEvent e) {
    try {
      JsonGenerator g = generatorFor(e.time(), e.zone());
      g.writeStartObject();
      g.writeStringField("time", e.time().toString());
      g.writeStringField("client", e.client());
      g.writeStringField("user", e.user());
      g.writeStringField("group", e.group());
      g.writeStringField("method", e.method());
      g.writeStringField("scheme", e.scheme());
      g.writeStringField("host", e.host());
      if (e.port() > 0) {
        g.writeNumberField("port", e.port());
      }
      g.writeStringField("path", e.path());
      g.writeStringField("query", e.query());
      g.writeArrayFieldStart("categories");
      for (String c : e.categories()) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeStringField("action", e.action());
      g.writeStringField("level", e.level());
      g.writeStringField("rule", e.rule());
      if (e.reason() != null) {
        g.writeStringField("reason", e.reason());
      }
      if (e.unblock() != null) {
        g.writeNumberField("unblock", e.unblock());
      } else {
        g.writeNullField("unblock");
      }
      if (e.safeSearch() != null) {
        g.writeStringField("safesearch", e.safeSearch());
      }
      if (e.search() != null) {
        g.writeStringField("search", e.search());
      }
      g.writeNumberField("status", e.status());
      g.writeNumberField("bytesIn", e.bytesIn());
      g.writeNumberField("bytesOut", e.bytesOut());
      g.writeNumberField("durationMs", e.durationMs());
      g.writeEndObject();
      g.writeRaw('\n');
      dirty = true;
    } catch (IOException | RuntimeException ex) {
      complain("could not write an access event", ex);
      closeQuietly();
    }
  }

  /**
   * A DNS query's line: {@code time} first (the alert replay reads it without parsing), then
   * {@code "event":"dns"}, so readers tell it from an HTTP line, which has no {@code event}.
   */
  void write(DnsEvent e) {
    try {
      JsonGenerator g = generatorFor(e.time(), e.zone());
      g.writeStartObject();
      g.writeStringField("time", e.time().toString());
      g.writeStringField("event", DnsEvent.EVENT);
      g.writeStringField("client", e.client());
      g.writeStringField("user", e.user());
      g.writeStringField("group", e.group());
      g.writeStringField("transport", e.transport());
      g.writeStringField("host", e.host());
      g.writeStringField("qtype", e.qtype());
      g.writeArrayFieldStart("categories");
      for (String c : e.categories()) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeStringField("action", e.action());
      g.writeStringField("level", e.level());
      g.writeStringField("rule", e.rule());
      if (e.reason() != null) {
        g.writeStringField("reason", e.reason());
      }
      g.writeStringField("answer", e.answer());
      g.writeStringField("rcode", e.rcode());
      if (e.stripped() > 0) {
        g.writeNumberField("stripped", e.stripped());
      }
      g.writeNumberField("durationMs", e.durationMs());
      g.writeEndObject();
      g.writeRaw('\n');
      dirty = true;
    } catch (IOException | RuntimeException ex) {
      complain("could not write a DNS event", ex);
      closeQuietly();
    }
  }

  private JsonGenerator generatorFor(java.time.Instant time, java.time.ZoneId zone) throws IOException {
    LocalDate eventDate = time.atZone(zone).toLocalDate();
    if (!eventDate.equals(date)) {
      open(eventDate);
    }
    return json;
  }

  private void open(LocalDate eventDate) throws IOException {
    closeQuietly();
    Path file = dir.resolve(fileName(eventDate));
    out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    json = JSON.createGenerator(out, JsonEncoding.UTF8);
    json.setPrettyPrinter(new MinimalPrettyPrinter(""));
    date = eventDate;
  }

  void flush() {
    if (!dirty || json == null) {
      return;
    }
    try {
      json.flush();
      dirty = false;
    } catch (IOException e) {
      complain("could not flush the access log", e);
      closeQuietly();
    }
  }

  void close() {
    flush();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      if (json != null) {
        json.close();
      }
    } catch (IOException e) {
      complain("could not close the access log", e);
    }
    json = null;
    out = null;
    date = null;
    dirty = false;
  }

  private void complain(String what, Exception e) {
    long now = System.nanoTime();
    if (now - lastErrorLog > 60_000_000_000L || lastErrorLog == 0) {
      lastErrorLog = now;
      log.error("{} in {}: {}", what, dir, e.toString());
    }
  }
}
