package org.schoolgate.alerts.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import org.schoolgate.policy.accesslog.AccessLogFiles;

/**
 * Counts blocked requests per policy group and category in the proxy's access log: the daily
 * JSON-lines files {@code access-YYYY-MM-DD.jsonl} (one per local day in the policy's zone) with
 * the fields {@code time} (ISO-8601 instant), {@code group}, {@code categories} (array) and
 * {@code action} ({@code block} counts). The filtering resolver's DNS lines ({@code "event":"dns"})
 * are not requests and are left out: devices look blocked names up again and again, so counting
 * lookups would swamp the requests. Lines that are not JSON are skipped and counted; a missing
 * day's file counts nothing. Reads files: call it on a background thread only.
 */
final class BlockedCategories {
  /** The group name for requests without one. */
  static final String NO_GROUP = "(no group)";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BlockedCategories() {}

  /** What the files hold for one period. */
  record Counts(Map<String, Map<String, Long>> byGroup, Map<String, Long> blocksByGroup, long unreadable,
      int files) {
    long blocks(String group) {
      return blocksByGroup.getOrDefault(group, 0L);
    }
  }

  /** Blocks with {@code from <= time < to}, read from the files of {@code week}'s days (and one each side). */
  static Counts read(Path dir, DigestSchedule.Week week) throws IOException {
    return read(java.util.List.of(dir), week);
  }

  /** As {@link #read(Path, DigestSchedule.Week)}, summed over the log directories {@code dirs} (one per node). */
  static Counts read(java.util.List<Path> dirs, DigestSchedule.Week week) throws IOException {
    Map<String, Map<String, Long>> byGroup = new TreeMap<>();
    Map<String, Long> blocks = new TreeMap<>();
    long unreadable = 0;
    int files = 0;
    for (Path dir : dirs) {
    // a day either side: an event near midnight may sit in its neighbour's file if the zone changed
    for (LocalDate d = week.firstDay().minusDays(1); !d.isAfter(week.lastDay().plusDays(1)); d = d.plusDays(1)) {
      Path file = dir.resolve(AccessLogFiles.name(d));
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        files++;
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode e;
          Instant time;
          try {
            e = JSON.readTree(line);
            time = Instant.parse(e.path("time").asText(""));
          } catch (IOException | DateTimeParseException ex) {
            unreadable++;
            continue;
          }
          if (!"block".equals(e.path("action").asText()) || e.has("event")
              || time.isBefore(week.from()) || !time.isBefore(week.to())) {
            continue;
          }
          String group = e.path("group").isTextual() && !e.path("group").asText().isBlank()
              ? e.path("group").asText() : NO_GROUP;
          blocks.merge(group, 1L, Long::sum);
          Map<String, Long> categories = byGroup.computeIfAbsent(group, g -> new TreeMap<>());
          for (JsonNode c : e.path("categories")) {
            if (c.isTextual()) {
              categories.merge(c.asText(), 1L, Long::sum);
            }
          }
        }
      } catch (NoSuchFileException missing) {
        // no traffic that day (or the log was rotated away): nothing to count
      }
    }
    }
    return new Counts(byGroup, blocks, unreadable, files);
  }
}
