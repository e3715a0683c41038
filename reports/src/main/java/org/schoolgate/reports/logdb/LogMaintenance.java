package org.schoolgate.reports.logdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.policy.accesslog.OwnerOnly;
import org.schoolgate.reports.ReportMetrics;
import org.schoolgate.reports.ReportsSettings;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the access-log directory in shape for the reports, on its own {@code schoolgate-reports}
 * thread (at start, then every {@link ReportsSettings#maintenanceEvery()}):
 *
 * <ol>
 *   <li>Retention: every day before {@code today - retentionDays} (today and the {@code
 *       retentionDays} days before it are kept) loses its JSON lines and its Parquet copy. Each
 *       day's deletion is audited ({@code accesslog.deleted}, actor {@code system:retention},
 *       target {@code access-log:YYYY-MM-DD}, the files and bytes) before the files go, so a
 *       database outage postpones the deletion rather than losing its record.
 *   <li>Conversion: a day whose JSON lines are finished (its last minute ended {@value
 *       #GRACE_MINUTES} minutes ago) and have no up-to-date Parquet copy is written to {@code
 *       access-YYYY-MM-DD.parquet} (sorted by time, zstd), through a temporary file and an atomic
 *       move. The copy takes the JSON file's modification time from before the conversion, so a
 *       late line appended during or after it (a long tunnel is logged when it closes, under the
 *       day it started) leaves the copy older than the lines: reports then read the lines and the
 *       next round converts again. Lines DuckDB cannot read are skipped, logged and counted. The
 *       day's {@link DaySummary summaries} are written from the copy at once (and for a day whose
 *       copy is up to date but has no summary yet).
 * </ol>
 * The JSON lines stay until the retention deletes them: they remain the record the alert replay
 * and the digest read; Parquet is the reports' columnar copy.
 */
public final class LogMaintenance implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogMaintenance.class);
  static final int GRACE_MINUTES = 15;
  static final Actor ACTOR = Actor.system("retention");
  /** The audit type of a deleted day. */
  public static final String DELETED = "accesslog.deleted";

  private final LogDatabase db;
  private final AuditTrail audit;
  private final ReportsSettings settings;
  private final Clock clock;
  private final ReportMetrics metrics;
  private final Object lock = new Object();
  private final Object threadLock = new Object();
  private ScheduledExecutorService thread;

  public LogMaintenance(LogDatabase db, AuditTrail audit, ReportsSettings settings, Clock clock,
      ReportMetrics metrics) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** What one round did. */
  public record Round(List<LocalDate> deleted, List<LocalDate> converted, long unreadableLines) {}

  /** Starts the {@code schoolgate-reports} thread: a round now, then every maintenance period. */
  public LogMaintenance start() {
    synchronized (threadLock) {
      if (thread == null) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "schoolgate-reports");
          t.setDaemon(true);
          return t;
        });
        long every = settings.maintenanceEvery().toMillis();
        thread.scheduleWithFixedDelay(this::safeRound, 0, every, TimeUnit.MILLISECONDS);
      }
    }
    return this;
  }

  private void safeRound() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      metrics.maintenanceErrors().increment();
      log.warn("reports maintenance failed (tried again in {}): {}", settings.maintenanceEvery(), e.toString());
    }
  }

  /** One round: retention, then conversion. Blocks; runs one at a time. */
  public Round runOnce() {
    synchronized (lock) {
      ZoneId zone = db.zone();
      Instant now = clock.instant();
      LocalDate today = now.atZone(zone).toLocalDate();
      List<LocalDate> deleted = retention(today);
      List<LocalDate> converted = new ArrayList<>();
      long unreadable = 0;
      Map<LocalDate, Path> days;
      try {
        days = AccessLogFiles.jsonLinesByDay(db.dir());
      } catch (IOException e) {
        throw new IllegalStateException("cannot list the access log in " + db.dir() + ": " + e.getMessage(), e);
      }
      for (Map.Entry<LocalDate, Path> day : days.entrySet()) {
        Instant finished = day.getKey().plusDays(1).atStartOfDay(zone).toInstant()
            .plus(Duration.ofMinutes(GRACE_MINUTES));
        if (now.isBefore(finished)) {
          continue;
        }
        try {
          long skipped = convertIfStale(day.getKey(), day.getValue());
          if (skipped >= 0) {
            converted.add(day.getKey());
            unreadable += skipped;
          }
        } catch (IOException | SQLException e) {
          metrics.maintenanceErrors().increment();
          log.warn("could not convert {} to Parquet (reports read its JSON lines meanwhile): {}", day.getValue(),
              e.toString());
        }
      }
      return new Round(deleted, converted, unreadable);
    }
  }

  private List<LocalDate> retention(LocalDate today) {
    LocalDate keepFrom = today.minusDays(settings.retentionDays());
    TreeSet<LocalDate> old = new TreeSet<>();
    try {
      old.addAll(AccessLogFiles.jsonLinesByDay(db.dir()).headMap(keepFrom, false).keySet());
      old.addAll(AccessLogFiles.byDay(db.dir(), AccessLogFiles.PARQUET).headMap(keepFrom, false).keySet());
      for (DaySummary kind : DaySummary.values()) {
        old.addAll(AccessLogFiles.byDay(db.dir(), kind.suffix()).headMap(keepFrom, false).keySet());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the access log in " + db.dir() + ": " + e.getMessage(), e);
    }
    List<LocalDate> deleted = new ArrayList<>();
    for (LocalDate day : old) {
      List<Path> files = new ArrayList<>();
      long bytes = 0;
      for (Path f : List.of(db.dir().resolve(AccessLogFiles.jsonLines(day)), db.dir().resolve(AccessLogFiles.parquet(day)),
          db.dir().resolve(DaySummary.HOURS.name(day)), db.dir().resolve(DaySummary.SITES.name(day)),
          db.dir().resolve(DaySummary.BYPASSES.name(day)))) {
        try {
          bytes += Files.size(f);
          files.add(f);
        } catch (IOException e) {
          // not there
        }
      }
      StringBuilder names = new StringBuilder("[");
      for (Path f : files) {
        names.append(names.length() == 1 ? "" : ",").append('"').append(f.getFileName()).append('"');
      }
      names.append(']');
      audit.append(new AuditEntry(DELETED, ACTOR, "access-log:" + day, "older than the retention of "
          + settings.retentionDays() + " days (reports.retention-days)", null,
          "{\"files\":" + names + ",\"bytes\":" + bytes + "}"));
      for (Path f : files) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          metrics.maintenanceErrors().increment();
          log.warn("could not delete {} past the retention: {}", f, e.toString());
        }
      }
      metrics.deleted().increment();
      deleted.add(day);
      log.info("deleted the access log of {} (older than {} days): {} bytes", day, settings.retentionDays(), bytes);
    }
    return deleted;
  }

  /** Converts {@code day}; -1 when its copy is up to date, else the lines it could not read. */
  private long convertIfStale(LocalDate day, Path json) throws IOException, SQLException {
    Path parquet = db.dir().resolve(AccessLogFiles.parquet(day));
    FileTime jsonTime = Files.getLastModifiedTime(json);
    if (Files.isRegularFile(parquet) && Files.getLastModifiedTime(parquet).compareTo(jsonTime) >= 0) {
      if (!DaySummary.upToDate(db.dir(), day, jsonTime)) {
        try (Connection c = db.connect()) {
          DaySummary.writeAll(c, db.dir(), day, parquet, Files.getLastModifiedTime(parquet));
        }
        log.info("access log of {} summarised (its Parquet copy was up to date)", day);
      }
      return -1;
    }
    Path tmp = db.dir().resolve(".tmp-" + AccessLogFiles.parquet(day));
    long lines = countLines(json);
    long rows;
    OwnerOnly.createFile(tmp); // who browsed what: owner-only like the day file it copies
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("COPY (SELECT * FROM " + LogColumns.readJson("[" + LogDatabase.quote(json.toAbsolutePath().toString())
          + "]") + " ORDER BY time) TO " + LogDatabase.quote(tmp.toAbsolutePath().toString())
          + " (FORMAT parquet, COMPRESSION zstd)");
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet("
          + LogDatabase.quote(tmp.toAbsolutePath().toString()) + ")")) {
        r.next();
        rows = r.getLong(1);
      }
    } catch (SQLException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    OwnerOnly.narrow(tmp);
    Files.setLastModifiedTime(tmp, jsonTime);
    Files.move(tmp, parquet, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (Connection c = db.connect()) {
      DaySummary.writeAll(c, db.dir(), day, parquet, jsonTime);
    }
    long skipped = Math.max(0, lines - rows);
    metrics.converted().increment();
    if (skipped > 0) {
      metrics.unreadable().increment(skipped);
      log.warn("{}: {} line(s) could not be read and are not in the reports (cut or not JSON)", json, skipped);
    }
    log.info("access log of {} converted to Parquet: {} events", day, rows);
    return skipped;
  }

  /** Non-empty lines of {@code file}. */
  static long countLines(Path file) throws IOException {
    long lines = 0;
    boolean content = false;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            if (content) {
              lines++;
            }
            content = false;
          } else if (b != '\r' && b != ' ' && b != '\t') {
            content = true;
          }
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return content ? lines + 1 : lines;
  }

  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (threadLock) {
      t = thread;
      thread = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
