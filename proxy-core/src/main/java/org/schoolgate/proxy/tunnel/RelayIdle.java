package org.schoolgate.proxy.tunnel;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of one relayed connection pair (both on one event loop): each end's {@link
 * RawRelay} stamps the time once per read batch, and a single timer closes both channels when no
 * byte has moved either way for the timeout. It stands in for an all-idle {@code
 * IdleStateHandler} on the client, which would give every write to the client a promise and a
 * listener, and checks only once per timeout, rescheduling itself for the time still left.
 * Times come from the event loop's {@link Ticker}, as its scheduler's do.
 */
final class RelayIdle implements Runnable {
  private final Channel client;
  private final Channel origin;
  private final long idleNanos;
  private final Ticker ticker;
  private long lastMove;
  private ScheduledFuture<?> timer;

  /** Starts the timer, on the channels' event loop. */
  RelayIdle(Channel client, Channel origin, long idleNanos) {
    this.client = client;
    this.origin = origin;
    this.idleNanos = idleNanos;
    this.ticker = client.eventLoop().ticker();
    this.lastMove = ticker.nanoTime();
    this.timer = client.eventLoop().schedule(this, idleNanos, TimeUnit.NANOSECONDS);
  }

  /** Bytes moved one way or the other. */
  void moved() {
    lastMove = ticker.nanoTime();
  }

  @Override
  public void run() {
    timer = null;
    if (!client.isActive() && !origin.isActive()) {
      return;
    }
    long still = idleNanos - (ticker.nanoTime() - lastMove);
    if (still <= 0) {
      client.close();
      origin.close();
      return;
    }
    timer = client.eventLoop().schedule(this, still, TimeUnit.NANOSECONDS);
  }

  /** Either side closed: no timer is left behind. */
  void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
