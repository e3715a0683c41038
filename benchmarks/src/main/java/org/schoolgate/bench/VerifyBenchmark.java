package org.schoolgate.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.Who;

/**
 * The per-request cost of proxy sign-in once a person is verified (a cache hit), over 10,000
 * signed-in people: {@code verifyCached} is the verifier alone (salted hash of the credentials,
 * cache look-up); {@code identifyCached} is what the proxy calls per request: read the
 * {@code Proxy-Authorization} header, verify, look up the binding, and identify the person's group
 * with the policy (which compiles their directory groups into a {@code Person});
 * {@code identifyRepeated} is the same call on a keep-alive connection that repeats its header.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar VerifyBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VerifyBenchmark {
  private IdentityBench bench;
  private int next;

  @Setup
  public void setUp() throws Exception {
    bench = new IdentityBench();
    bench.signInEveryone();
    repeatedA = new String(bench.headers[0]);
    repeatedB = new String(bench.headers[0]);
  }

  @TearDown
  public void tearDown() {
    bench.close();
  }

  @Benchmark
  public Verification verifyCached() {
    int i = next++ % IdentityBench.USERS;
    return bench.verifier.verify(new ProxyCredentials.Basic(bench.names[i], bench.passwords[i].clone()),
        bench.client).join();
  }

  /**
   * One keep-alive connection repeating one person's header (two equal strings in turn, as the
   * decoder makes a new one per request): the connection's memo answers while the verifier's
   * lease holds.
   */
  @Benchmark
  public Who identifyRepeated() {
    String header = (next++ & 1) == 0 ? repeatedA : repeatedB;
    return bench.service.identify(bench.policy, bench.client, header, memo).join();
  }

  private final IdentityService.Memo memo = new IdentityService.Memo();
  private String repeatedA;
  private String repeatedB;

  @Benchmark
  public Who identifyCached() {
    int i = next++ % IdentityBench.USERS;
    return bench.service.identify(bench.policy, bench.client, bench.headers[i]).join();
  }
}
