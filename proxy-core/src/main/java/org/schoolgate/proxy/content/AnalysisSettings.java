package org.schoolgate.proxy.content;

/**
 * How content analysis leaves the event loops ({@code proxy.content-analysis:} in the runtime
 * config): the {@code schoolgate-content-*} threads and their queues, when a response's analysis
 * moves to them, and when its origin is paused. Validated here; every message names the field
 * and the fix.
 *
 * <pre>{@code
 * AnalysisSettings s = AnalysisSettings.DEFAULTS.withQueue(1024);
 * }</pre>
 *
 * @param threads analysis threads; 0 (the default) is one per two event loops, at least one
 * @param queue pieces waiting per analysis thread before hand-offs are refused (a refused
 *     hand-off fails that response's analysis: closed for groups with block rules, open for the
 *     others, counted); 16 or more, Netty's executors' floor
 * @param moveAfterBytes bytes of one response analysed on its loop before the rest moves off it
 * @param busyLoopTasks a loop with more tasks than this waiting moves new pieces off at once
 * @param pauseAfterPieces pieces one response may have waiting for analysis before its origin is
 *     paused (reading resumes when half of them are done)
 */
public record AnalysisSettings(int threads, int queue, long moveAfterBytes, int busyLoopTasks,
    int pauseAfterPieces) {
  /** Automatic threads, 4,096 pieces per thread, 64 KiB, 256 tasks, 8 pieces. */
  public static final AnalysisSettings DEFAULTS = new AnalysisSettings(0, 4096, 64 * 1024, 256, 8);
  /** Most analysis threads one may ask for. */
  public static final int MAX_THREADS = 256;
  /** Largest queue per thread. */
  public static final int MAX_QUEUE = 1 << 20;
  /** Netty's executors hold at least this many tasks whatever they are asked. */
  public static final int MIN_QUEUE = 16;
  /** Largest {@link #moveAfterBytes}: 64 MiB. */
  public static final long MAX_MOVE_AFTER = 64L * 1024 * 1024;

  public AnalysisSettings {
    if (threads < 0 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("proxy.content-analysis.threads is " + threads
          + " (expected: 0 for one per two event loops, or 1.." + MAX_THREADS + ")");
    }
    if (queue < MIN_QUEUE || queue > MAX_QUEUE) {
      throw new IllegalArgumentException("proxy.content-analysis.queue is " + queue
          + " (expected: " + MIN_QUEUE + ".." + MAX_QUEUE + " pieces per thread, such as 4096)");
    }
    if (moveAfterBytes < 1 || moveAfterBytes > MAX_MOVE_AFTER) {
      throw new IllegalArgumentException("proxy.content-analysis.move-after is " + moveAfterBytes
          + " bytes (expected: 1 byte to 64MiB, such as 64KiB)");
    }
    if (busyLoopTasks < 1 || busyLoopTasks > 1_000_000) {
      throw new IllegalArgumentException("proxy.content-analysis.busy-loop-tasks is " + busyLoopTasks
          + " (expected: 1..1000000 tasks, such as 256)");
    }
    if (pauseAfterPieces < 1 || pauseAfterPieces > 4096) {
      throw new IllegalArgumentException("proxy.content-analysis.pause-after-pieces is " + pauseAfterPieces
          + " (expected: 1..4096 pieces, such as 8)");
    }
  }

  /** The analysis threads for {@code loops} event loops: {@link #threads}, or one per two loops. */
  public int threadsFor(int loops) {
    return threads > 0 ? threads : Math.max(1, loops / 2);
  }

  public AnalysisSettings withThreads(int n) {
    return new AnalysisSettings(n, queue, moveAfterBytes, busyLoopTasks, pauseAfterPieces);
  }

  public AnalysisSettings withQueue(int n) {
    return new AnalysisSettings(threads, n, moveAfterBytes, busyLoopTasks, pauseAfterPieces);
  }

  public AnalysisSettings withMoveAfterBytes(long n) {
    return new AnalysisSettings(threads, queue, n, busyLoopTasks, pauseAfterPieces);
  }
}
