package org.schoolgate.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.ReloadResult;

/**
 * Reloads the 5M-feed policy while other threads decide requests without pause, and reports the
 * longest time any one {@code decide()} call (snapshot read included) took and how many took over
 * 1, 10 and 50 ms: the policy-engine half of "hot reload of a 5M feed under load, no pause over
 * 50 ms". With a third argument N it also requests a safepoint every N ms (a thread dump) and
 * reports the longest, so that a stretch of the compile that cannot stop for a safepoint is seen
 * whether or not the collector needs one then. Run with GC and safepoint logs to see which
 * pauses were the collector's and how long threads took to stop:
 *
 * <pre>
 * java -Xmx1g -Xlog:gc:file=benchmarks/target/reload-gc.log \
 *     -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ReloadPauses [reloads] [decider threads] [probe ms]
 * </pre>
 */
public final class ReloadPauses {
  private ReloadPauses() {}

  public static void main(String[] args) throws Exception {
    int reloads = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int deciders = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int probeMillis = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Path dir = Decide5MBenchmark.feedDir();
    Path policy = Ut1Policy.write(dir, SyntheticFeed.ensure(dir, SyntheticFeed.TOTAL));
    PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
    List<String> listed = SyntheticFeed.sample(dir.resolve("blacklists"), 1 << 12, SyntheticFeed.TOTAL >> 12);
    SplittableRandom random = new SplittableRandom(1);
    RequestFacts[] facts = new RequestFacts[1 << 12];
    for (int i = 0; i < facts.length; i++) {
      String host = random.nextBoolean() ? DecideBenchmark.listedVariant(listed.get(random.nextInt(listed.size())), random)
          : DecideBenchmark.unlisted(random);
      facts[i] = new RequestFacts(new GroupId("primary"), null, host, "/", Instant.parse("2026-11-23T10:00:00Z"));
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(deciders);
    long[][] stats = new long[deciders][];
    Thread[] threads = new Thread[deciders];
    for (int t = 0; t < deciders; t++) {
      int me = t;
      threads[t] = new Thread(() -> stats[me] = decideUntil(holder, facts, stop, warmedUp), "decider-" + t);
      threads[t].start();
    }
    warmedUp.await(); // every decider has made WARM_UP_CALLS calls (JIT-compiled) before the first reload
    // Optionally request a safepoint every probeMillis ms (a thread dump is a VM operation at a
    // safepoint), so that any stretch in which the compiling thread cannot stop shows up in the
    // time each probe takes and in -Xlog:safepoint, not only when the collector happens to need one.
    AtomicLong longestProbe = new AtomicLong();
    AtomicLong probes = new AtomicLong();
    ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "safepoint-probe");
      t.setDaemon(true);
      return t;
    });
    if (probeMillis > 0) {
      prober.scheduleAtFixedRate(() -> {
        long start = System.nanoTime();
        Thread.getAllStackTraces();
        longestProbe.accumulateAndGet(System.nanoTime() - start, Math::max);
        probes.incrementAndGet();
      }, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
    }
    for (int r = 0; r < reloads; r++) {
      long start = System.nanoTime();
      ReloadResult result = holder.reload();
      System.out.printf("reload %d: %s in %,d ms%n", r + 1, result.getClass().getSimpleName(),
          (System.nanoTime() - start) / 1_000_000);
    }
    prober.shutdownNow();
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    for (int t = 0; t < deciders; t++) {
      long[] s = stats[t];
      System.out.printf("decider %d: %,d calls; longest call %.2f ms; calls over 1 ms: %d, over 10 ms: %d,"
          + " over 50 ms: %d%n", t, s[0], s[1] / 1e6, s[2], s[3], s[4]);
    }
    if (probeMillis > 0) {
      System.out.printf("safepoint probes (thread dump every %d ms): %,d; longest %.2f ms%n", probeMillis,
          probes.get(), longestProbe.get() / 1e6);
    }
  }

  private static final long WARM_UP_CALLS = 5_000_000;

  /** Calls, longest call (ns), calls over 1, 10 and 50 ms. */
  private static long[] decideUntil(PolicyHolder holder, RequestFacts[] facts, AtomicBoolean stop,
      CountDownLatch warmedUp) {
    long calls = 0;
    long longest = 0;
    long over1 = 0;
    long over10 = 0;
    long over50 = 0;
    long sink = 0;
    boolean warm = false;
    while (!stop.get()) {
      if (!warm && calls >= WARM_UP_CALLS) {
        warm = true;
        warmedUp.countDown();
      }
      for (int i = 0; i < 1024; i++) {
        long start = System.nanoTime();
        sink += holder.current().decide(facts[(int) (calls & (facts.length - 1))]).reason().length();
        long took = System.nanoTime() - start;
        calls++;
        longest = Math.max(longest, took);
        over1 += took > 1_000_000 ? 1 : 0;
        over10 += took > 10_000_000 ? 1 : 0;
        over50 += took > 50_000_000 ? 1 : 0;
      }
    }
    return new long[] {calls, longest, over1, over10, over50, sink & 0};
  }
}
