package org.schoolgate.proxy.log.export;

import org.schoolgate.policy.accesslog.OwnerOnly;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The squid-format copy: {@code squid-access-YYYY-MM-DD.log} beside the JSON files, one file per
 * day in the policy's time zone, appended to (a restart never truncates). Used by the access-log
 * writer thread only; a failed write closes the file (reopened on the next line) and returns false.
 */
final class SquidLogFile {
  private static final Logger log = LoggerFactory.getLogger(SquidLogFile.class);

  private final Path dir;
  private LocalDate date;
  private BufferedWriter out;
  private boolean dirty;
  private long lastErrorLog;

  SquidLogFile(Path dir) {
    this.dir = dir;
  }

  static String fileName(LocalDate date) {
    return "squid-access-" + date + ".log";
  }

  boolean write(Instant time, ZoneId zone, String line) {
    try {
      LocalDate day = time.atZone(zone).toLocalDate();
      if (!day.equals(date)) {
        close();
        // owner-only like the access log beside it (it names who browsed what)
        java.nio.channels.FileChannel channel = OwnerOnly.openForAppend(dir.resolve(fileName(day)));
        channel.position(channel.size());
        out = new BufferedWriter(new OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel),
            StandardCharsets.UTF_8), 64 * 1024);
        date = day;
      }
      out.write(line);
      out.write('\n');
      dirty = true;
      return true;
    } catch (IOException | RuntimeException e) {
      complain("could not write the squid-format access log", e);
      close();
      return false;
    }
  }

  void flush() {
    if (out == null || !dirty) {
      return;
    }
    try {
      out.flush();
      dirty = false;
    } catch (IOException e) {
      complain("could not flush the squid-format access log", e);
      close();
    }
  }

  void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        complain("could not close the squid-format access log", e);
      }
    }
    out = null;
    date = null;
    dirty = false;
  }

  private void complain(String what, Exception e) {
    long now = System.nanoTime();
    if (lastErrorLog == 0 || now - lastErrorLog > 60_000_000_000L) {
      lastErrorLog = now;
      log.error("{} in {}: {}", what, dir, e.toString());
    }
  }
}
