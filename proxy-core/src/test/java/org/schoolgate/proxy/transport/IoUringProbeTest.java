package org.schoolgate.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The start-up probe passes where io_uring works (the Linux machines the tests run on); where it
 * loads but cannot enter its ring, TransportStartTest (deploy) shows it failing under a seccomp
 * filter.
 */
class IoUringProbeTest {
  @Test
  void aLoopbackByteComesBackOverIoUringHere() {
    assertThat(IoUringProbe.run(Duration.ofSeconds(10)))
        .isEqualTo(new IoUringProbe.Passed());
  }

  @Test
  void itLeavesNoThreadBehind() throws Exception {
    IoUringProbe.run(Duration.ofSeconds(10));

    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("schoolgate-uring-probe")) {
        t.join(10_000); // its loop has terminated; the thread itself ends just after
        assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
      }
    }
  }
}
