package org.schoolgate.alerts.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.Checkpoint;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.policy.search.AlertPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the alerts a crash lost: at start, before the proxy offers live events, reads the access
 * log from the engine's {@link Checkpoint} on and hands each event to {@link AlertEngine#replay}.
 * Events up to the checkpoint (looking back twice the longest rule window, at most a day) only
 * warm the rules' windows, so a window that spans the crash raises its alert once; later events
 * are evaluated and raised. Without a checkpoint (a fresh install) nothing is replayed and the
 * checkpoint starts now.
 *
 * <p>The checkpoint event is found by position: the {@code count}-th line with exactly its time;
 * every line after it is raised, and so is any line with a later time (a later time written
 * before it is raised again harmlessly: the store keeps one alert per idempotency key). Lines that
 * are not a whole event are skipped and counted, never fatal.
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.start(store.alerts(), registry, settings, policy, accessLogDir);
 * AlertReplay.run(engine, accessLogDir, zone, clock);   // on the starting thread
 * }</pre>
 */
public final class AlertReplay {
  /** The most a replay looks back before the checkpoint to warm the rules. */
  static final Duration MAX_LOOK_BACK = Duration.ofDays(1);
  private static final Logger log = LoggerFactory.getLogger(AlertReplay.class);

  private AlertReplay() {}

  /**
   * Replays {@code accessLogDir} (the engine's checkpoint directory) into {@code engine}; events
   * get {@code zone} (the policy's), and {@code clock} starts a fresh checkpoint. Reads files:
   * call it on the starting thread.
   *
   * @throws IllegalArgumentException when the engine keeps its checkpoint elsewhere (or nowhere)
   * @throws IOException when the directory cannot be listed or a file read
   */
  public static ReplayReport run(AlertEngine engine, Path accessLogDir, ZoneId zone, Clock clock) throws IOException {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(clock, "clock");
    Optional<Path> dir = engine.checkpointDir();
    if (dir.isEmpty() || !sameDir(dir.get(), accessLogDir)) {
      throw new IllegalArgumentException("the alert engine keeps its checkpoint in " + dir.orElse(null)
          + ", not in the access-log directory " + accessLogDir
          + " (start it with AlertEngine.start(..., accessLogDir))");
    }
    Optional<Checkpoint> from = engine.checkpointAtStart();
    if (from.isEmpty()) {
      engine.startCheckpointAt(Checkpoint.upTo(clock.instant()));
      log.info("no alert checkpoint in {}: nothing to replay; checkpointing from now", accessLogDir);
      return ReplayReport.nothing();
    }
    ReplayReport report = replay(engine, accessLogDir, zone, from.get());
    log.info("alert replay from {}: {} files, {} events warmed the rules, {} replayed, {} alerts raised,"
        + " {} unreadable lines skipped", from.get(), report.files(), report.warmed(), report.replayed(),
        report.alerts(), report.skipped());
    return report;
  }

  private static boolean sameDir(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private static ReplayReport replay(AlertEngine engine, Path dir, ZoneId zone, Checkpoint from) throws IOException {
    Instant warmFrom = from.time().minus(lookBack(engine.policy()));
    LocalDate firstDay = warmFrom.atZone(zone).toLocalDate();
    Position position = new Position(from);
    long warmed = 0;
    long replayed = 0;
    long alerts = 0;
    long skipped = 0;
    int files = 0;
    for (Path file : files(dir, firstDay).values()) {
      files++;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          Instant time = AccessLogLine.time(line);
          if (time == null) {
            skipped++;
            continue;
          }
          if (!position.passed() && time.isBefore(warmFrom)) {
            continue; // older than the rules' windows: cannot change what they decide
          }
          Optional<AccessInput> event = AccessLogLine.parse(line, zone);
          if (event.isEmpty()) {
            skipped++;
            continue;
          }
          boolean raise = position.isAfter(time);
          alerts += engine.replay(event.get(), raise).size();
          if (raise) {
            replayed++;
          } else {
            warmed++;
          }
        }
      }
    }
    return new ReplayReport(from, files, warmed, replayed, alerts, skipped);
  }

  /** Twice the longest rule window (a quiet period begun in the window before still counts), at most a day. */
  static Duration lookBack(AlertPolicy p) {
    Duration longest = p.repeatWindow();
    for (Duration d : new Duration[] {p.burstWindow(), p.circumventionWindow()}) {
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    Duration twice = longest.multipliedBy(2);
    return twice.compareTo(MAX_LOOK_BACK) > 0 ? MAX_LOOK_BACK : twice;
  }

  /** The access-log files from {@code firstDay} on, by date. */
  private static TreeMap<LocalDate, Path> files(Path dir, LocalDate firstDay) throws IOException {
    return new TreeMap<>(AccessLogFiles.jsonLinesByDay(dir).tailMap(firstDay, true));
  }

  /** Finds the checkpoint event among the lines as they are read. */
  private static final class Position {
    private final Checkpoint at;
    private int seen;
    private boolean passed;

    Position(Checkpoint at) {
      this.at = at;
    }

    boolean passed() {
      return passed;
    }

    /** Whether the line at {@code time} read now comes after the checkpoint event. */
    boolean isAfter(Instant time) {
      if (passed) {
        return true;
      }
      if (at.count() > 0 && time.equals(at.time()) && ++seen >= at.count()) {
        passed = true; // this line is the checkpoint event itself: handled; every later line is not
        return false;
      }
      return time.isAfter(at.time());
    }
  }
}
