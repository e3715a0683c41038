package org.schoolgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * Compile time and retained heap of a big feed: compiles the policy over the synthetic feed
 * ({@link SyntheticFeed}, written on first use) or over the shared UT1 lists a few times, then,
 * holding only the last snapshot, forces collections and reports the used-heap delta per entry,
 * plus the peak heap seen during the compiles.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.IndexFootprint [feed5m|ut1] [repeats]
 * </pre>
 */
public final class IndexFootprint {
  private IndexFootprint() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "feed5m";
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path policyFile;
    if (which.equals("ut1")) {
      policyFile = Ut1Policy.write(Files.createTempDirectory("schoolgate-footprint"), Ut1Policy.blacklists());
    } else {
      Path dir = Decide5MBenchmark.feedDir();
      policyFile = Ut1Policy.write(dir, SyntheticFeed.ensure(dir, SyntheticFeed.TOTAL));
    }
    long baseline = usedAfterGc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    PolicySnapshot snapshot = null;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      snapshot = null; // let the previous one go before compiling the next
      long start = System.nanoTime();
      snapshot = PolicyCompiler.compile(policyFile, Clock.systemUTC());
      long ms = (System.nanoTime() - start) / 1_000_000;
      best = Math.min(best, ms);
      System.out.printf("compile %d: %,d ms%n", i + 1, ms);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long retained = usedAfterGc() - baseline;
    long entries = snapshot.entryCount();
    System.out.printf("%s: %,d entries; best compile %,d ms; retained %,d bytes = %.1f bytes/entry;"
            + " peak heap during compiles %,d MiB (max heap %,d MiB)%n",
        which, entries, best, retained, (double) retained / entries, peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println(snapshot.decide(new org.schoolgate.policy.RequestFacts(
        snapshot.groups().get(0), null, "example.com", "/", java.time.Instant.now())).rule());
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc(); // a full collection, finished when it returns (G1 without ExplicitGCInvokesConcurrent)
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
