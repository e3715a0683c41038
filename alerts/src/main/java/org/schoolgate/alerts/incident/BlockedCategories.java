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
 * Counts blocked requests per policy group and category, and requests to generative-AI chat
 * tools per group, in the proxy's access log: the daily
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
      int files, Map<String, AiUse> aiByGroup) {
    long blocks(String group) {
      return blocksByGroup.getOrDefault(group, 0L);
    }

    AiUse ai(String group) {
      return aiByGroup.getOrDefault(group, new AiUse());
    }
  }

  /** One group's use of generative-AI chat tools in a period: requests let through, blocked, and who. */
  static final class AiUse {
    long allowed;
    long blocked;
    final java.util.Set<String> people = new java.util.TreeSet<>();
  }

  /** As {@link #read(Path, DigestSchedule.Week, java.util.Set)} with the sample's {@code ai-chat} category. */
  static Counts read(Path dir, DigestSchedule.Week week) throws IOException {
    return read(java.util.List.of(dir), week, java.util.Set.of("ai-chat"));
  }

  /**
   * Blocks with {@code from <= time < to}, read from the files of {@code week}'s days (and one
   * each side) in each of the log directories {@code dirs} (one per node), summed; and requests to
   * generative-AI chat tools — a line with one of {@code aiCategories} or marked {@code content.ai}
   * — per group.
   */
  static Counts read(java.util.List<Path> dirs, DigestSchedule.Week week, java.util.Set<String> aiCategories)
      throws IOException {
    Map<String, Map<String, Long>> byGroup = new TreeMap<>();
    Map<String, AiUse> ai = new TreeMap<>();
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
          if (e.has("event") || time.isBefore(week.from()) || !time.isBefore(week.to())) {
            continue;
          }
          String group = e.path("group").isTextual() && !e.path("group").asText().isBlank()
              ? e.path("group").asText() : NO_GROUP;
          boolean block = "block".equals(e.path("action").asText());
          if (isAi(e, aiCategories)) {
            AiUse use = ai.computeIfAbsent(group, g -> new AiUse());
            if (block) {
              use.blocked++;
            } else {
              use.allowed++;
            }
            if (e.path("user").isTextual() && !e.path("user").asText().isBlank()) {
              use.people.add(e.path("user").asText());
            }
          }
          if (!block) {
            continue;
          }
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
    return new Counts(byGroup, blocks, unreadable, files, ai);
  }

  private static boolean isAi(JsonNode e, java.util.Set<String> aiCategories) {
    if (e.path("content").path("ai").asBoolean(false)) {
      return true;
    }
    for (JsonNode c : e.path("categories")) {
      if (c.isTextual() && aiCategories.contains(c.asText())) {
        return true;
      }
    }
    return false;
  }
}
