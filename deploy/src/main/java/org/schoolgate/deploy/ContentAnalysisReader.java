package org.schoolgate.deploy;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.proxy.content.AnalysisSettings;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code proxy.content-analysis:}, how content analysis leaves the event loops, reporting
 * through the loader (file:line: field). Every key is optional; today's values are the defaults.
 *
 * <pre>
 * proxy:
 *   content-analysis:
 *     threads: 0                # 0: one per two event loops
 *     queue: 4096               # pieces waiting per thread; more are refused (fail closed for block rules)
 *     move-after: 64KiB         # of one response analysed on its loop before the rest moves off it
 *     busy-loop-tasks: 256      # a loop with more tasks waiting moves analysis off at once
 *     pause-after-pieces: 8     # pieces of one response waiting before its origin is paused
 * </pre>
 */
final class ContentAnalysisReader {
  static final String KEY = "content-analysis";
  private static final Set<String> KEYS = Set.of("threads", "queue", "move-after", "busy-loop-tasks",
      "pause-after-pieces");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB)?");
  private static final String F = "proxy." + KEY;
  private final RuntimeConfigLoader in;

  ContentAnalysisReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  /** The settings under {@code node} (absent: the defaults), or null after reporting an error. */
  AnalysisSettings read(Node node) {
    Map<String, Node> m = in.mapping(node, F, KEYS);
    AnalysisSettings d = AnalysisSettings.DEFAULTS;
    Integer threads = integer(m.get("threads"), "threads", d.threads(), 0, AnalysisSettings.MAX_THREADS,
        "0 for one per two event loops, or");
    Integer queue = integer(m.get("queue"), "queue", d.queue(), AnalysisSettings.MIN_QUEUE,
        AnalysisSettings.MAX_QUEUE, "pieces per thread,");
    Long moveAfter = size(m.get("move-after"), d.moveAfterBytes());
    Integer busy = integer(m.get("busy-loop-tasks"), "busy-loop-tasks", d.busyLoopTasks(), 1, 1_000_000, "tasks,");
    Integer pause = integer(m.get("pause-after-pieces"), "pause-after-pieces", d.pauseAfterPieces(), 1, 4096,
        "pieces,");
    if (threads == null || queue == null || moveAfter == null || busy == null || pause == null) {
      return null;
    }
    try {
      return new AnalysisSettings(threads, queue, moveAfter, busy, pause);
    } catch (IllegalArgumentException e) {
      in.problem(node, e.getMessage());
      return null;
    }
  }

  private Integer integer(Node node, String key, int otherwise, int min, int max, String what) {
    if (node == null) {
      return otherwise;
    }
    String s = in.scalar(node, F + "." + key);
    if (s == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(s);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    in.error(node, F + "." + key, "is '" + s + "' (expected: " + what + " a whole number from " + min + " to "
        + max + ", such as " + otherwise + ")");
    return null;
  }

  private Long size(Node node, long otherwise) {
    if (node == null) {
      return otherwise;
    }
    String s = in.scalar(node, F + ".move-after");
    if (s == null) {
      return null;
    }
    Matcher mm = SIZE.matcher(s);
    if (mm.matches()) {
      long n = Long.parseLong(mm.group(1));
      long bytes = n * ("KiB".equals(mm.group(2)) ? 1024L : "MiB".equals(mm.group(2)) ? 1024L * 1024 : 1L);
      if (bytes >= 1 && bytes <= AnalysisSettings.MAX_MOVE_AFTER) {
        return bytes;
      }
    }
    in.error(node, F + ".move-after", "is '" + s + "' (expected: a size from 1 byte to 64MiB, such as 64KiB)");
    return null;
  }
}
