package org.schoolgate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * {@link PolicySnapshot#decide} with the synthetic 5,000,000-line feed ({@link SyntheticFeed})
 * loaded, for 1,024, 65,536 or 1,048,576 distinct prebuilt requests ({@link #requests}), called
 * in a cycle or with Zipf popularity ({@link #distribution}): {@code listed} hosts sampled from the feed (as listed,
 * with {@code www.}, or a deeper subdomain), {@code unlisted} hosts, or a 50/50 {@code mixed}
 * set, over four groups and two times. The feed is written to
 * {@code ${schoolgate.feed.dir}} (default {@code benchmarks/target/feed5m}) on first use.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Decide5MBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Decide5MBenchmark {
  private static final List<GroupId> GROUPS = Stream.of("primary", "secondary", "staff", "guests")
      .map(GroupId::new).toList();
  private static final Instant[] TIMES = {
      Instant.parse("2026-11-23T12:30:00Z"), Instant.parse("2026-11-23T10:00:00Z")};

  @Param({"mixed", "listed", "unlisted"})
  public String mix;

  /**
   * How many distinct requests (a power of two). 1024: the requests and the index lines they
   * touch stay in the CPU caches, as for a proxy's working set of popular sites, so this measures
   * the computation. 65536 and 1048576 with {@code uniform}: every request's objects and its index
   * lines come from memory, so this measures memory latency (about two uncached reads for the
   * request and one for the index). With {@code zipf} the popular requests stay cached and the
   * long tail does not, as in a school's traffic.
   */
  @Param({"1024", "65536", "1048576"})
  public int requests;

  /**
   * How often each of the {@link #requests} distinct requests comes up. {@code uniform}: each
   * equally often, in a fixed cycle. {@code zipf}: a power law (Zipf, s = 1.0) over the distinct
   * requests in random order, the way school traffic concentrates on a few hundred sites: with
   * 65,536 distinct hosts the 100 most popular take 44 % of the calls, with 1,048,576 of them 36 %.
   * The order of calls is a prebuilt sequence of {@link #SEQUENCE} indexes, read in order.
   */
  @Param({"uniform", "zipf"})
  public String distribution;

  /** Calls in one pass over the Zipf sequence (a power of two). */
  static final int SEQUENCE = 1 << 22;

  private PolicySnapshot snapshot;
  private RequestFacts[] facts;
  private int[] order;

  /** Each benchmark thread walks the request set from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void compilePolicyAndBuildRequests() throws IOException, PolicyException {
    Path dir = feedDir();
    Path blacklists = SyntheticFeed.ensure(dir, SyntheticFeed.TOTAL);
    snapshot = PolicyCompiler.compile(Ut1Policy.write(dir, blacklists), Clock.systemUTC());
    if (Integer.bitCount(requests) != 1) {
      throw new IllegalArgumentException("requests : " + requests + " (expected: a power of two)");
    }
    int samples = Math.max(1 << 16, requests);
    List<String> listed = SyntheticFeed.sample(blacklists, samples, SyntheticFeed.TOTAL / samples);
    SplittableRandom random = new SplittableRandom(42);
    facts = new RequestFacts[requests];
    for (int i = 0; i < requests; i++) {
      boolean pickListed = switch (mix) {
        case "listed" -> true;
        case "unlisted" -> false;
        default -> random.nextBoolean();
      };
      String host = pickListed
          ? DecideBenchmark.listedVariant(listed.get(random.nextInt(listed.size())), random)
          : DecideBenchmark.unlisted(random);
      facts[i] = new RequestFacts(GROUPS.get(random.nextInt(GROUPS.size())), null, host,
          random.nextBoolean() ? "/" : "/index.html?q=" + i, TIMES[random.nextInt(TIMES.length)]);
    }
    order = switch (distribution) {
      case "uniform" -> null;
      case "zipf" -> zipfSequence(requests, 1.0, SEQUENCE, new SplittableRandom(7));
      default -> throw new IllegalArgumentException("distribution : " + distribution + " (expected: uniform or zipf)");
    };
    System.out.println("\npolicy: " + snapshot.entryCount() + " list entries; requests: " + requests
        + " (" + mix + ", " + distribution + ")");
  }

  /**
   * {@code length} indexes into {@code n} items drawn from a Zipf distribution with exponent
   * {@code s}: rank r (1-based) with probability proportional to 1/r^s; ranks are mapped to items
   * by a random permutation, so popular items are not neighbours in memory.
   */
  static int[] zipfSequence(int n, double s, int length, SplittableRandom random) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1, s);
      cdf[r] = sum;
    }
    int[] itemOfRank = new int[n];
    for (int i = 0; i < n; i++) {
      itemOfRank[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = itemOfRank[i];
      itemOfRank[i] = itemOfRank[j];
      itemOfRank[j] = t;
    }
    int[] out = new int[length];
    for (int k = 0; k < length; k++) {
      int rank = java.util.Arrays.binarySearch(cdf, random.nextDouble() * sum);
      rank = rank >= 0 ? rank : Math.min(n - 1, -rank - 1);
      out[k] = itemOfRank[rank];
    }
    return out;
  }

  static Path feedDir() {
    return Path.of(System.getProperty("schoolgate.feed.dir", "benchmarks/target/feed5m")).toAbsolutePath();
  }

  @Benchmark
  public Decision decide(Cursor cursor) {
    int k = cursor.next++;
    int i = order == null ? k & (facts.length - 1) : order[k & (SEQUENCE - 1)];
    return snapshot.decide(facts[i]);
  }
}
