package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.IntToLongFunction;

/** Measures the bytes the current thread allocates while a piece of hot-path code runs. */
public final class Allocations {
  private Allocations() {}

  /** Measured runs after the warm-up; the least is reported. */
  private static final int ROUNDS = 3;

  /**
   * Runs {@code call} {@code warmUp} times (so the JIT has compiled it), then {@code times} times
   * in each of three rounds, and returns the least bytes this thread allocated in a round. A path
   * that allocates does so in every round; the least ignores a round in which the JIT recompiled
   * or deoptimised a method (seen when other tests ran first in the same JVM and left other
   * profiles: an allocation-free decide measured 1.2 MB once, then 0). {@code call} receives the
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
    long least = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < times; i++) {
        sink += call.applyAsLong(i);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
    }
    assertThat(sink).as("the measured calls' results").isNotZero();
    return least;
  }

  /** Bytes allocated by {@code times} decisions cycling through {@code requests}, after a warm-up. */
  public static long bytesAllocatedByDecide(PolicySnapshot policy, List<RequestFacts> requests,
      int warmUp, int times) {
    return bytesAllocated(warmUp, times,
        i -> policy.decide(requests.get(i % requests.size())).reason().length());
  }
}
