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
  /** Pieces waiting in every lane (on the loops) for their turn on an analysis thread. */
  private final java.util.concurrent.atomic.LongAdder waiting = new java.util.concurrent.atomic.LongAdder();

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
   * Starts the executor for a proxy of {@code loops} event loops.
   *
   * @param settings threads, queue per thread, the move-off and back-pressure marks (validated there)
   */
  public static AnalysisExecutor start(AnalysisSettings settings, int loops) {
    DefaultEventExecutorGroup pool = new DefaultEventExecutorGroup(settings.threadsFor(loops),
        new DefaultThreadFactory("schoolgate-content", true), settings.queue(), RejectedExecutionHandlers.reject());
    return new AnalysisExecutor(pool, settings.moveAfterBytes(), settings.busyLoopTasks(), settings.pauseAfterPieces());
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

  void waiting(int change) {
    waiting.add(change);
  }

  /**
   * Body pieces waiting in responses' lanes now (held on their loops, the one being analysed
   * included): what back-pressure bounds, per response, at {@code pause-after-pieces} and a bit.
   */
  public long waitingPieces() {
    return waiting.sum();
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
