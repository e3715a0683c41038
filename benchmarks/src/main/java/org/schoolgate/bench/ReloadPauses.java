package org.schoolgate.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.ReloadResult;

/**
 * Reloads the 5M-feed policy while other threads decide requests without pause, and reports the
 * longest time any one {@code decide()} call (snapshot read included) took and how many took over
 * 1, 10 and 50 ms: the policy-engine half of "hot reload of a 5M feed under load, no pause over
 * 50 ms". Run with a GC log to see which pauses were the collector's:
 *
 * <pre>
 * java -Xmx1g -Xlog:gc:file=benchmarks/target/reload-gc.log \
 *     -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ReloadPauses [reloads] [decider threads]
 * </pre>
 */
public final class ReloadPauses {
  private ReloadPauses() {}

  public static void main(String[] args) throws Exception {
    int reloads = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int deciders = args.length > 1 ? Integer.parseInt(args[1]) : 1;
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
    for (int r = 0; r < reloads; r++) {
      long start = System.nanoTime();
      ReloadResult result = holder.reload();
      System.out.printf("reload %d: %s in %,d ms%n", r + 1, result.getClass().getSimpleName(),
          (System.nanoTime() - start) / 1_000_000);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    for (int t = 0; t < deciders; t++) {
      long[] s = stats[t];
      System.out.printf("decider %d: %,d calls; longest call %.2f ms; calls over 1 ms: %d, over 10 ms: %d,"
          + " over 50 ms: %d%n", t, s[0], s[1] / 1e6, s[2], s[3], s[4]);
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
