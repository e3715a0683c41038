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
 * loaded, for 1,024 or 65,536 prebuilt requests ({@link #requests}): {@code listed} hosts sampled from the feed (as listed,
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
   * How many distinct requests are cycled through (a power of two). 1024: the requests and the
   * index lines they touch stay in the CPU caches, as for a proxy's working set of popular sites,
   * so this measures the computation. 65536: every request's objects and its index lines come
   * from memory, so this measures memory latency (about two uncached reads for the request and
   * one for the index).
   */
  @Param({"1024", "65536"})
  public int requests;

  private PolicySnapshot snapshot;
  private RequestFacts[] facts;

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
    List<String> listed = SyntheticFeed.sample(blacklists, 1 << 16, SyntheticFeed.TOTAL >> 16);
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
    System.out.println("\npolicy: " + snapshot.entryCount() + " list entries; requests: " + requests
        + " (" + mix + ")");
  }

  static Path feedDir() {
    return Path.of(System.getProperty("schoolgate.feed.dir", "benchmarks/target/feed5m")).toAbsolutePath();
  }

  @Benchmark
  public Decision decide(Cursor cursor) {
    return snapshot.decide(facts[cursor.next++ & (facts.length - 1)]);
  }
}
