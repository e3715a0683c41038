package org.schoolgate.deploy;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition another thread makes true (polls; fails with the last error). */
final class Eventually {
  interface Check {
    void run() throws Exception;
  }

  private Eventually() {}

  static void within(Duration timeout, Check check) throws Exception {
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
