package org.schoolgate.alerts.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/**
 * The child process of {@link ReplayCrashTest}: like the proxy's access-log thread, writes each
 * event's line to the log, then offers it to an engine that checkpoints into the log directory.
 * The first events reach the outbox and the checkpoint; then another connection holds the SQLite
 * database ({@code BEGIN EXCLUSIVE}), so the later events' alerts cannot be raised; it ends the
 * log with a line cut in half, prints {@code offered} and waits to be killed.
 */
public final class ReplayCrashChild {
  static final Instant T0 = Instant.parse("2026-07-06T09:00:00Z");

  private ReplayCrashChild() {}

  /** The lines written while the store is available; the last one's alert is raised. */
  static List<String> before() {
    return List.of(porn(0, "sam"), porn(1, "sam"), porn(2, "sam"), LogLines.blocked(min(3), "kim", "child-grooming",
        "illegal", "illegal-category"));
  }

  /** The lines written while the store is held: their alerts are lost with the process. */
  static List<String> after() {
    return List.of(porn(4, "sam"), porn(5, "sam"), // the fifth attempt in ten minutes: repeated-attempts
        LogLines.blocked(min(6), "alex", "child-grooming", "illegal", "illegal-category"),
        LogLines.blocked(min(7), "jo", "filter-bypass", "unacceptable", "matrix:filter-bypass/ks3-4"),
        LogLines.blocked(min(8), "jo", "filter-bypass", "unacceptable", "matrix:filter-bypass/ks3-4"),
        LogLines.line(min(9), "10.10.3.9", "lee", "ks3-4", "http", "www.google.com", 80, "/search",
            "q=how+to+kill+myself", List.of("search-engines"), "allow", "acceptable", "default",
            "how to kill myself"));
  }

  private static String porn(int minute, String user) {
    return LogLines.blocked(min(minute), user, "pornography", "unacceptable", "matrix:pornography/ks3-4");
  }

  static Instant min(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  public static void main(String[] args) throws IOException, SQLException {
    Path db = Path.of(args[0]);
    Path logs = Path.of(args[1]);
    Store store = Store.open(DatabaseConfig.sqlite(db), Clock.systemUTC());
    AlertEngine engine = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(),
        AlertSettings.DEFAULTS.withRetry(Duration.ofMillis(50), Duration.ofMillis(200)), null, logs);
    AlertReplay.run(engine, logs, LogLines.LONDON, Clock.fixed(T0.minus(Duration.ofHours(1)), ZoneOffset.UTC));
    for (String line : before()) {
      writeAndOffer(engine, logs, line);
    }
    String last = min(3) + " 1";
    while (!last.equals(readCheckpoint(logs))) { // polls the file: the engine's thread writes it
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    Connection other = DriverManager.getConnection(DatabaseConfig.sqlite(db).jdbcUrl());
    Statement s = other.createStatement();
    s.execute("BEGIN EXCLUSIVE"); // held until the process is killed
    for (String line : after()) {
      writeAndOffer(engine, logs, line);
    }
    String cut = LogLines.blocked(min(10), "max", "child-grooming", "illegal", "illegal-category");
    LogLines.appendRaw(logs.resolve(LogLines.fileName(min(10))), cut.substring(0, 40));
    System.out.println("offered");
    System.out.flush();
    while (true) {
      LockSupport.parkNanos(Duration.ofSeconds(1).toNanos()); // waits for SIGKILL
    }
  }

  private static void writeAndOffer(AlertEngine engine, Path logs, String line) throws IOException {
    LogLines.append(logs, line);
    engine.offer(AccessLogLine.parse(line, LogLines.LONDON).orElseThrow());
  }

  private static String readCheckpoint(Path logs) throws IOException {
    try {
      return Files.readString(logs.resolve("alerts.checkpoint"), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
