package org.schoolgate.proxy.log;

import org.schoolgate.policy.accesslog.OwnerOnly;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.LocalDate;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AccessEvent}s (and the resolver's {@link DnsEvent}s) as JSON lines into {@code access-YYYY-MM-DD.jsonl} for each event's
 * date in its policy time zone (appended to at the file's end, owner-only). Used by the writer
 * thread only; the log assumes it is the file's only writer.
 *
 * <p>Lines are written whole or not at all. Each event is encoded into a {@link LineBuffer}
 * (Jackson's streaming generator); {@link #flush} writes the buffered lines with one write and, if
 * that fails part way (a full disk takes what fits), truncates the file back to where the write
 * began and counts every line of the batch as lost. If even that fails, the file is reopened before
 * the next write, and a file whose last byte is not a newline gets one first, so a cut line never
 * runs into the next one.
 */
final class AccessLogWriter {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** Lines are written when the queue runs empty, or once this many bytes are buffered. */
  static final int BATCH_BYTES = 64 * 1024;

  private final Path dir;
  private final Outages outages;
  private final LineBuffer batch = new LineBuffer(BATCH_BYTES + 4096);
  private final ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
  private JsonGenerator json;
  private final InstantText times = new InstantText();
  /** The day whose file the buffered lines belong to. */
  private LocalDate batchDate;
  /** The open day file, or null (none yet, or closed after a failure). */
  private FileChannel channel;
  private LocalDate channelDate;
  /** The open file does not end with a newline: write one before the next line. */
  private boolean newlineFirst;
  private long lastComplaint;

  AccessLogWriter(Path dir, Outages outages) {
    this.dir = dir;
    this.outages = outages;
    this.json = generator();
  }

  /** Adds {@code e} as one line; writes the buffered lines first when the day changes, after when the buffer is full. */
  void write(AccessEvent e) {
    startLine(e.time(), e.zone());
    int mark = batch.size();
    try {
      encode(e);
      endLine();
    } catch (IOException | RuntimeException ex) {
      encodeFailed(mark, "could not encode an access event for " + e.host(), ex);
    }
  }

  /** Adds a DNS query's line, like {@link #write(AccessEvent)}. */
  void write(DnsEvent e) {
    startLine(e.time(), e.zone());
    int mark = batch.size();
    try {
      encode(e);
      endLine();
    } catch (IOException | RuntimeException ex) {
      encodeFailed(mark, "could not encode a DNS event for " + e.host(), ex);
    }
  }

  /** Flushes the buffered lines first when {@code time} falls on another day than theirs. */
  private void startLine(java.time.Instant time, java.time.ZoneId zone) {
    LocalDate eventDate = times.day(time, zone);
    if (batch.lines() > 0 && !eventDate.equals(batchDate)) {
      flush();
    }
    batchDate = eventDate;
  }

  private void endLine() throws IOException {
    json.flush();
    batch.endLine();
    if (batch.size() >= BATCH_BYTES) {
      flush();
    }
  }

  private void encodeFailed(int mark, String what, Exception ex) {
    batch.truncate(mark);
    json = generator(); // the old one may be inside an object
    outages.dropped(AccessLogDrop.ENCODE_FAILED, 1);
    complain(what, ex);
  }

  /**
   * A DNS query's line: {@code time} first (the alert replay reads it without parsing), then
   * {@code "event":"dns"}, so readers tell it from an HTTP line, which has no {@code event}.
   */
  private void encode(DnsEvent e) throws IOException {
    JsonGenerator g = json;
    g.writeStartObject();
    g.writeStringField("time", times.text(e.time()));
    g.writeStringField("event", DnsEvent.EVENT);
    g.writeStringField("client", e.client());
    g.writeStringField("user", e.user());
    g.writeStringField("group", e.group());
    g.writeStringField("transport", e.transport());
    g.writeStringField("host", e.host());
    g.writeStringField("qtype", e.qtype());
    writeDecision(g, e.categories(), e.action(), e.level(), e.rule(), e.reason());
    g.writeStringField("answer", e.answer());
    g.writeStringField("rcode", e.rcode());
    if (e.stripped() > 0) {
      g.writeNumberField("stripped", e.stripped());
    }
    g.writeNumberField("durationMs", e.durationMs());
    g.writeEndObject();
  }

  /** The fields every line has the same way: what the site is and what was decided. */
  private static void writeDecision(JsonGenerator g, java.util.List<String> categories, String action, String level,
      String rule, String reason) throws IOException {
    g.writeArrayFieldStart("categories");
    for (String c : categories) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeStringField("action", action);
    g.writeStringField("level", level);
    g.writeStringField("rule", rule);
    if (reason != null) {
      g.writeStringField("reason", reason);
    }
  }

  private void encode(AccessEvent e) throws IOException {
    JsonGenerator g = json;
    g.writeStartObject();
    g.writeStringField("time", times.text(e.time()));
    g.writeStringField("client", e.client());
    g.writeStringField("user", e.user());
    g.writeStringField("auth", e.auth());
    g.writeStringField("group", e.group());
    g.writeStringField("method", e.method());
    g.writeStringField("scheme", e.scheme());
    g.writeStringField("host", e.host());
    if (e.port() > 0) {
      g.writeNumberField("port", e.port());
    }
    g.writeStringField("path", e.path());
    g.writeStringField("query", e.query());
    if (e.dst() != null) {
      g.writeStringField("dst", e.dst());
    }
    writeDecision(g, e.categories(), e.action(), e.level(), e.rule(), e.reason());
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
    if (e.content() != null) {
      writeContent(g, e.content());
    }
    if (e.download() != null) {
      DownloadNote d = e.download();
      g.writeObjectFieldStart("download");
      g.writeStringField("action", d.action());
      g.writeStringField("kind", d.kind());
      g.writeStringField("evidence", d.evidence());
      g.writeStringField("detail", d.detail());
      if (d.liftedBy() != null) {
        g.writeStringField("liftedBy", d.liftedBy());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeContent(JsonGenerator g, ContentNote c) throws IOException {
    g.writeObjectFieldStart("content");
    g.writeStringField("action", c.action());
    if (c.theme() != null) {
      g.writeStringField("theme", c.theme());
      g.writeNumberField("score", c.score());
      g.writeNumberField("threshold", c.threshold());
    }
    g.writeArrayFieldStart("phrases");
    for (String p : c.phrases()) {
      g.writeString(p);
    }
    g.writeEndArray();
    g.writeStringField("reason", c.reason());
    if (c.liftedBy() != null) {
      g.writeStringField("liftedBy", c.liftedBy());
    }
    if (c.cut()) {
      g.writeBooleanField("cut", true);
    }
    if (c.failed()) {
      g.writeBooleanField("failed", true);
    }
    if (c.ai()) {
      g.writeBooleanField("ai", true);
    }
    if (c.prompt() != null) {
      g.writeStringField("prompt", c.prompt());
    }
    if (c.answer() != null) {
      g.writeStringField("answer", c.answer());
    }
    g.writeEndObject();
  }

  /** Writes the buffered lines to their day file: all of them, or none (counted as lost). */
  void flush() {
    int lines = batch.lines();
    if (lines == 0) {
      return;
    }
    Path file = dir.resolve(AccessLogFiles.name(batchDate));
    try {
      FileChannel ch;
      try {
        ch = channel(batchDate, file);
      } catch (IOException | RuntimeException e) {
        lost(lines, "cannot open " + file + ": " + reason(e), e);
        return;
      }
      long start = -1;
      try {
        start = ch.size();
        long at = start;
        if (newlineFirst) {
          newline.rewind();
          at = writeFully(ch, newline, at);
        }
        writeFully(ch, batch.view(), at);
        newlineFirst = false;
      } catch (IOException | RuntimeException e) {
        undo(ch, start, file);
        lost(lines, "cannot write " + file + ": " + reason(e), e);
        return;
      }
      outages.written();
    } finally {
      batch.clear();
    }
  }

  /**
   * Puts back the file as it was before the failed write: truncated to {@code start}; then closed,
   * so the next write reopens it and checks how it ends.
   */
  private void undo(FileChannel ch, long start, Path file) {
    if (start >= 0) {
      try {
        ch.truncate(start);
      } catch (IOException e) {
        complain("could not cut " + file + " back to its last whole line (the next line starts on a new one)", e);
      }
    }
    closeChannel();
  }

  /** Writes all of {@code bytes} at {@code at}; returns the position after them. */
  private static long writeFully(FileChannel ch, ByteBuffer bytes, long at) throws IOException {
    long position = at;
    while (bytes.hasRemaining()) {
      position += ch.write(bytes, position);
    }
    return position;
  }

  /** The open channel for {@code date}'s file, opening it (and checking how it ends) when needed. */
  private FileChannel channel(LocalDate date, Path file) throws IOException {
    if (channel != null && date.equals(channelDate)) {
      return channel;
    }
    closeChannel();
    FileChannel ch = OwnerOnly.openForAppend(file);
    try {
      long size = ch.size();
      newlineFirst = false;
      if (size > 0) {
        ByteBuffer last = ByteBuffer.allocate(1);
        newlineFirst = ch.read(last, size - 1) != 1 || last.get(0) != '\n';
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    channel = ch;
    channelDate = date;
    return ch;
  }

  private void lost(int lines, String problem, Exception e) {
    outages.writeFailed(problem, lines);
    complain(problem + "; " + lines + " lines lost", e);
  }

  void close() {
    flush();
    closeChannel();
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        complain("could not close the access log", e);
      }
    }
    channel = null;
    channelDate = null;
  }

  private JsonGenerator generator() {
    try {
      JsonGenerator g = JSON.createGenerator(batch, JsonEncoding.UTF8);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new MinimalPrettyPrinter(""));
      return g;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a JSON generator over memory", e);
    }
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Logs at most once a minute (the outage itself is logged once by {@link Outages}). */
  private void complain(String what, Exception e) {
    long now = System.nanoTime();
    if (lastComplaint == 0 || now - lastComplaint > 60_000_000_000L) {
      lastComplaint = now;
      log.error("{} in {}: {}", what, dir, e.toString());
    }
  }
}
