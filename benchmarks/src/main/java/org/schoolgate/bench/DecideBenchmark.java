package org.schoolgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * {@link PolicySnapshot#decide} with every UT1 category loaded (588,437 distinct domain and URL entries), for a
 * prebuilt set of requests: {@code listed} hosts sampled from the lists (as listed, with
 * {@code www.}, or a deeper subdomain), {@code unlisted} hosts, or a 50/50 {@code mixed} set,
 * spread over four groups and two times (in and out of the lunch schedule).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DecideBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecideBenchmark {
  private static final int REQUESTS = 1 << 14;
  private static final int MASK = REQUESTS - 1;
  private static final List<GroupId> GROUPS = Stream.of("primary", "secondary", "staff", "guests")
      .map(GroupId::new).toList();
  /** Monday 23 November 2026 at 12:30 (lunch) and 10:00 in London (GMT). */
  private static final Instant[] TIMES = {
      Instant.parse("2026-11-23T12:30:00Z"), Instant.parse("2026-11-23T10:00:00Z")};

  @Param({"mixed", "listed", "unlisted"})
  public String mix;

  private Path dir;
  private PolicySnapshot snapshot;
  private RequestFacts[] facts;

  /** Each benchmark thread walks the request set from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void compilePolicyAndBuildRequests() throws IOException, PolicyException {
    Path blacklists = Ut1Policy.blacklists();
    dir = Files.createTempDirectory("schoolgate-bench");
    snapshot = PolicyCompiler.compile(Ut1Policy.write(dir, blacklists), Clock.systemUTC());
    SplittableRandom random = new SplittableRandom(42);
    List<String> listed = Ut1Policy.sampleDomains(blacklists, REQUESTS, random);
    List<String> hosts = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      boolean pickListed = switch (mix) {
        case "listed" -> true;
        case "unlisted" -> false;
        default -> random.nextBoolean();
      };
      hosts.add(pickListed ? listedVariant(listed.get(random.nextInt(listed.size())), random)
          : unlisted(random));
    }
    facts = new RequestFacts[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      facts[i] = new RequestFacts(GROUPS.get(random.nextInt(GROUPS.size())), null, hosts.get(i),
          random.nextBoolean() ? "/" : "/index.html?q=" + i, TIMES[random.nextInt(TIMES.length)]);
    }
    System.out.println("\npolicy: " + snapshot.entryCount() + " list entries, " + snapshot.categories().size()
        + " categories; requests: " + REQUESTS + " (" + mix + ")");
  }

  @TearDown(Level.Trial)
  public void deleteTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public Decision decide(Cursor cursor) {
    return snapshot.decide(facts[cursor.next++ & MASK]);
  }

  static String listedVariant(String domain, SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> domain;
      case 1 -> "www." + domain;
      default -> "img" + random.nextInt(10) + ".cdn." + domain;
    };
  }

  static String unlisted(SplittableRandom random) {
    String[] tlds = {"com", "org", "net", "co.uk", "fr", "de"};
    return "site" + Integer.toString(random.nextInt(1 << 30), 36) + ".example-"
        + Integer.toString(random.nextInt(1 << 20), 36) + "." + tlds[random.nextInt(tlds.length)];
  }
}
