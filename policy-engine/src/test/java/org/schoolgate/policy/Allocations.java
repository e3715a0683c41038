package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.IntToLongFunction;

/** Measures the bytes the current thread allocates while a piece of hot-path code runs. */
public final class Allocations {
  private Allocations() {}

  /**
   * Runs {@code call} {@code warmUp} times (so the JIT has compiled it), then {@code times} times,
   * and returns the bytes this thread allocated during the second run. {@code call} receives the
   * iteration number and returns a value that is summed, so the work cannot be optimised away.
   */
  public static long bytesAllocated(int warmUp, int times, IntToLongFunction call) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long sink = 0;
    for (int i = 0; i < warmUp; i++) {
      sink += call.applyAsLong(i);
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < times; i++) {
      sink += call.applyAsLong(i);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(sink).as("the measured calls' results").isNotZero();
    return allocated;
  }

  /** Bytes allocated by {@code times} decisions cycling through {@code requests}, after a warm-up. */
  public static long bytesAllocatedByDecide(PolicySnapshot policy, List<RequestFacts> requests,
      int warmUp, int times) {
    return bytesAllocated(warmUp, times,
        i -> policy.decide(requests.get(i % requests.size())).reason().length());
  }
}
