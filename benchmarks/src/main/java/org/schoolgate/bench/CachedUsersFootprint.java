package org.schoolgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * How much heap 10,000 signed-in people take in the verifier's cache: heap in use after a full GC
 * before and after each person signed in once (keys are a user name and a 256-bit salted hash;
 * values the person's directory groups).
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.CachedUsersFootprint
 * </pre>
 */
public final class CachedUsersFootprint {
  private CachedUsersFootprint() {}

  public static void main(String[] args) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (IdentityBench bench = new IdentityBench()) {
      long before = used(memory);
      long start = System.nanoTime();
      bench.signInEveryone();
      long took = System.nanoTime() - start;
      long after = used(memory);
      System.out.printf("%d people signed in (first request each, in-memory directory) in %d ms%n",
          IdentityBench.USERS, took / 1_000_000);
      System.out.printf("cached: %d; heap %d KiB more, %d bytes per person%n", bench.verifier.cachedUsers(),
          (after - before) / 1024, (after - before) / IdentityBench.USERS);
    }
  }

  private static long used(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
