package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The rest of one response's analysis, off its event loop, in order: pieces wait here (on the
 * loop) and one at a time is fed to the {@link BodyAnalysis} on an {@link AnalysisExecutor}
 * thread (a retained duplicate: what is forwarded is untouched); when it is done the result comes
 * back to the loop ({@code loop.execute}), where {@link Listener#analysed} acts on the piece as if
 * it had been analysed there, and the next one goes. The analysis is only ever touched by one
 * thread at a time, with the executor's and the loop's queues ordering the hand-offs.
 *
 * <p>Back-pressure: while more than {@code maxQueued} pieces wait, the origin is not read
 * (auto-read off); once no more than half wait, reading resumes (unless the listener says the
 * client cannot take more). A hand-off the executor refuses fails the analysis
 * ({@link Listener#refused}): the waiting pieces go back to the listener. Confined to the loop
 * but for the feeding.
 */
public final class AnalysisLane {
  /** What the owner (the content gate) does with the pieces. */
  public interface Listener {
    /** {@code piece} was analysed (owned by the listener now); may {@link #abandon} the lane. */
    void analysed(HttpContent piece);

    /** The executor refused a hand-off: {@code waiting} (owned by the listener now) were not analysed. */
    void refused(ArrayDeque<HttpContent> waiting);

    /** True when the origin may be read again (the client can take more). */
    boolean mayRead();
  }

  private final AnalysisExecutor executor;
  private final java.util.concurrent.Executor thread;
  private final BodyAnalysis analysis;
  private final EventExecutor loop;
  private final Channel origin;
  private final int maxQueued;
  private final Listener listener;
  private final ArrayDeque<HttpContent> waiting = new ArrayDeque<>(8);
  private final Runnable done = this::done;
  private final Runnable feed = this::feed;
  private boolean inFlight;
  private boolean abandoned;
  private boolean paused;
  private ByteBuf feeding;
  private boolean feedingLast;

  AnalysisLane(AnalysisExecutor executor, BodyAnalysis analysis, EventExecutor loop, Channel origin, int maxQueued,
      Listener listener) {
    this.executor = executor;
    this.thread = executor.executor();
    this.analysis = analysis;
    this.loop = loop;
    this.origin = origin;
    this.maxQueued = maxQueued;
    this.listener = listener;
  }

  /** A body piece (owned by the lane until {@link Listener#analysed}). On the loop. */
  public void submit(HttpContent piece) {
    if (abandoned) {
      piece.release();
      return;
    }
    waiting.add(piece);
    executor.waiting(1);
    if (waiting.size() > maxQueued && !paused) {
      paused = true;
      origin.config().setAutoRead(false);
    }
    if (!inFlight) {
      next();
    }
  }

  /** True while the origin is paused because too many pieces wait. */
  public boolean paused() {
    return paused;
  }

  /** Pieces waiting (including the one being analysed). */
  public int waiting() {
    return waiting.size();
  }

  /**
   * The response is over (cut, blocked, ended, or its connection closed): waiting pieces are
   * released, and the analysis is closed now or, when a piece is being fed, when that is done.
   */
  public void abandon() {
    if (abandoned) {
      return;
    }
    abandoned = true;
    HttpContent c;
    while ((c = waiting.poll()) != null) {
      executor.waiting(-1);
      c.release();
    }
    if (!inFlight) {
      analysis.close();
    }
    resume();
  }

  private void next() {
    HttpContent c = waiting.peek();
    if (c == null) {
      return;
    }
    inFlight = true;
    feeding = c.content().retainedDuplicate();
    feedingLast = c instanceof LastHttpContent;
    try {
      thread.execute(feed);
    } catch (RejectedExecutionException e) {
      feeding.release();
      feeding = null;
      inFlight = false;
      executor.rejectedOne();
      ArrayDeque<HttpContent> back = new ArrayDeque<>(waiting);
      executor.waiting(-waiting.size());
      waiting.clear();
      abandoned = true;
      analysis.close();
      resume();
      listener.refused(back);
    }
  }

  /**
   * On an analysis thread. Never throws: whatever the analysis throws ends this response's
   * analysis ({@link BodyAnalysis#crashed}), not the executor's thread (a Netty
   * {@code DefaultEventExecutor} ends for good on a task that throws), and the result always goes
   * back to the loop, which alone closes the analysis.
   */
  private void feed() {
    try {
      analysis.feed(feeding);
      if (feedingLast) {
        analysis.end();
      }
    } catch (Throwable e) { // BodyAnalysis keeps its own failures: this is what escaped it
      analysis.crashed(e);
    }
    try {
      feeding.release();
    } catch (Throwable e) {
      analysis.crashed(e);
    }
    loop.execute(done);
  }

  /** Back on the loop. */
  private void done() {
    inFlight = false;
    feeding = null;
    if (abandoned) {
      analysis.close();
      return;
    }
    HttpContent c = waiting.poll();
    executor.waiting(-1);
    if (paused && waiting.size() <= maxQueued / 2) {
      resume();
    }
    listener.analysed(c);
    if (!abandoned) {
      next();
    }
  }

  private void resume() {
    if (paused) {
      paused = false;
      if (origin.isActive() && listener.mayRead()) {
        origin.config().setAutoRead(true);
      }
    }
  }
}
