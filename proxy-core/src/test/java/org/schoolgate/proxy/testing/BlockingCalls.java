package org.schoolgate.proxy.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound's set-up for the proxy tests (found by {@code ServiceLoader}; BlockHound's JUnit
 * platform listener installs it before the first test). Netty's own integration marks its event
 * loop threads (the proxy's {@code schoolgate-worker-*} and the DNS loop) as never allowed to
 * block; a blocking call there throws {@link BlockingOperationError} in that thread and is also
 * recorded here, so {@code EventLoopsNeverBlockTest}, run last, fails the suite even when the
 * error was swallowed by whatever caught it.
 */
public final class BlockingCalls implements BlockHoundIntegration {
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();

  /** Blocking calls made on event loops since the JVM started. */
  public static List<String> seen() {
    return List.copyOf(SEEN);
  }

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.blockingMethodCallback(method -> {
      SEEN.add(Thread.currentThread().getName() + ": " + method);
      throw new BlockingOperationError(method);
    });
    // Logback's console appender takes a lock to write a line; tests log at INFO and the proxy
    // logs decisions it finds odd (look-alike hosts) on the loop. Production logging is
    // asynchronous (deploy), so this never blocks a loop there.
    builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
    builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
    // Netty's io_uring loop, closing its ring as the loop shuts down, spins (Thread.onSpinWait)
    // until a thread that is waking it finishes writing its eventfd: a few instructions, at
    // shutdown only. Found running the whole suite on io_uring (7 loops of 600 tests' worth).
    builder.allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler",
        "closeWakeupGate");
    // the one test that holds the content-analysis thread busy on purpose, to fill its queue
    builder.allowBlockingCallsInside("org.schoolgate.proxy.content.RefusedHandOffEndToEndTest",
        "holdUntilReleased");
  }
}
