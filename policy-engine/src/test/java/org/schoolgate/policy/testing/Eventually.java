package org.schoolgate.policy.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition that another thread makes true (polls; fails with the last error). */
public final class Eventually {
  /** An assertion that may throw. */
  public interface Check {
    void run() throws Exception;
  }

  private Eventually() {}

  public static void within(Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }
}
