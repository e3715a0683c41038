package org.schoolgate.proxy.content;

import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where content analysis goes when an event loop cannot keep up with it: the named
 * {@code schoolgate-content-*} threads, each with its own bounded queue (Netty executors: a hand-off
 * is a lock-free offer, so a loop never waits on a lock to make it; a response's lane keeps one
 * thread, picked round-robin). A response starts analysed on its loop (most pages end
 * before it matters); {@link #shouldMove} says when to hand its further pieces to an
 * {@link AnalysisLane} instead: once more than {@link #thresholdBytes} of it were analysed, or
 * when the loop already has more than {@link #busyLoopTasks} tasks waiting. The queue is
 * bounded; a hand-off it refuses is counted ({@link #rejected()}) and the response's analysis
 * fails (closed for groups with block rules, open otherwise). {@link #INLINE} never moves.
 */
public final class AnalysisExecutor implements AutoCloseable {
  /** Never moves analysis off the loop (tests of the front handler alone, no executor). */
  public static final AnalysisExecutor INLINE = new AnalysisExecutor(null, Long.MAX_VALUE, Integer.MAX_VALUE, 4);

  private final DefaultEventExecutorGroup pool;
  private final Executor executor;
  private final long thresholdBytes;
  private final int busyLoopTasks;
  private final int maxQueuedPieces;
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong moved = new AtomicLong();

  private AnalysisExecutor(DefaultEventExecutorGroup pool, long thresholdBytes, int busyLoopTasks, int maxQueuedPieces) {
    this.pool = pool;
    this.executor = pool;
    this.thresholdBytes = thresholdBytes;
    this.busyLoopTasks = busyLoopTasks;
    this.maxQueuedPieces = maxQueuedPieces;
  }

  /** For tests: {@code executor} runs the analysis (e.g. one the test steps by hand). */
  AnalysisExecutor(Executor executor, long thresholdBytes, int maxQueuedPieces) {
    this.pool = null;
    this.executor = executor;
    this.thresholdBytes = thresholdBytes;
    this.busyLoopTasks = Integer.MAX_VALUE;
    this.maxQueuedPieces = maxQueuedPieces;
  }

  /**
   * Starts the executor.
   *
   * @param threads analysis threads (1 or more)
   * @param queue pieces waiting for each thread (16 or more, Netty's floor); more are refused
   * @param thresholdBytes bytes of one response analysed on its loop before the rest moves (1 or more)
   * @param busyLoopTasks a loop with more tasks waiting than this moves new pieces at once (1 or more)
   * @param maxQueuedPieces pieces one response may have waiting before its origin is paused (1 or more)
   */
  public static AnalysisExecutor start(int threads, int queue, long thresholdBytes, int busyLoopTasks,
      int maxQueuedPieces) {
    check("threads", threads);
    check("queue", queue);
    check("busy-loop tasks", busyLoopTasks);
    check("queued pieces", maxQueuedPieces);
    if (thresholdBytes < 1) {
      throw new IllegalArgumentException("threshold is " + thresholdBytes + " bytes (expected: 1 or more, e.g. 65536)");
    }
    DefaultEventExecutorGroup pool = new DefaultEventExecutorGroup(threads,
        new DefaultThreadFactory("schoolgate-content", true), Math.max(16, queue), RejectedExecutionHandlers.reject());
    return new AnalysisExecutor(pool, thresholdBytes, busyLoopTasks, maxQueuedPieces);
  }

  private static void check(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " is " + value + " (expected: 1 or more)");
    }
  }

  /**
   * True when the next pieces of a response of which {@code analysedBytes} were analysed on
   * {@code loop} should be analysed off it. Allocates nothing.
   */
  public boolean shouldMove(long analysedBytes, EventExecutor loop) {
    if (executor == null) {
      return false;
    }
    if (analysedBytes > thresholdBytes) {
      return true;
    }
    return loop instanceof SingleThreadEventExecutor s && s.pendingTasks() > busyLoopTasks;
  }

  /** A lane for the rest of one response's analysis (call on {@code loop}); counted as moved. */
  public AnalysisLane lane(BodyAnalysis analysis, EventExecutor loop, Channel origin, AnalysisLane.Listener listener) {
    moved.incrementAndGet();
    return new AnalysisLane(this, analysis, loop, origin, maxQueuedPieces, listener);
  }

  /** The executor of a new lane (one thread of the group, round-robin). */
  Executor executor() {
    return pool != null ? pool.next() : executor;
  }

  void rejectedOne() {
    rejected.incrementAndGet();
  }

  /** Pieces waiting for an analysis thread now. */
  public int queued() {
    if (pool == null) {
      return 0;
    }
    int n = 0;
    for (EventExecutor e : pool) {
      n += e instanceof SingleThreadEventExecutor s ? s.pendingTasks() : 0;
    }
    return n;
  }

  /** Hand-offs the full queue refused. */
  public long rejected() {
    return rejected.get();
  }

  /** Responses whose analysis moved off their loop. */
  public long moved() {
    return moved.get();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
