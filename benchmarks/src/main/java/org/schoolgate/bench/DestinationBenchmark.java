package org.schoolgate.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * {@link PolicySnapshot#decideDestination}, the destination check the proxy makes for every
 * connection, over a cycle of 16 (group, host, address, port) cases: public IPv4 and IPv6,
 * loopback, link-local, RFC 1918, ULA, IPv4 inside 6to4 and NAT64, intranet hosts and networks on
 * their ports and others, for pupils and for staff (allowed internal addresses), with a policy
 * of a few school ranges and intranet entries. {@code gc.alloc.rate.norm} should be 0.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DestinationBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DestinationBenchmark {
  private static final String POLICY = """
      groups:
        pupils: { subnets: [10.20.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
      default: acceptable
      destinations:
        internal-ranges: [203.0.113.0/24, 198.51.100.0/24, "2001:db8:5c::/48"]
        allow-internal: [staff]
        intranet:
          - { host: vle.school.example, ports: [80, 443] }
          - { host: mis.school.example, ports: [443] }
          - { network: 10.40.12.0/28, ports: [80, 443, 631] }
          - { network: 203.0.113.64/26, ports: [8000-8099] }
      """;

  private static final String[][] CASES = {
      {"pupils", "www.bbc.co.uk", "151.101.0.81", "443"},
      {"pupils", "www.google.com", "2a00:1450:4009:81f::2004", "443"},
      {"pupils", "localhost", "127.0.0.1", "8080"},
      {"pupils", "x.test", "169.254.169.254", "80"},
      {"pupils", "x.test", "10.1.2.3", "80"},
      {"pupils", "x.test", "fd00::1", "80"},
      {"pupils", "x.test", "2002:a01:203::1", "80"},
      {"pupils", "x.test", "64:ff9b::a01:203", "80"},
      {"pupils", "vle.school.example", "10.40.1.5", "443"},
      {"pupils", "vle.school.example", "10.40.1.5", "22"},
      {"pupils", "printer.school.example", "10.40.12.7", "631"},
      {"pupils", "x.test", "203.0.113.70", "8050"},
      {"pupils", "x.test", "198.51.100.9", "80"},
      {"staff", "x.test", "10.1.2.3", "80"},
      {"staff", "localhost", "::1", "80"},
      {"staff", "www.bbc.co.uk", "151.101.0.81", "443"},
  };

  private Path dir;
  private PolicySnapshot snapshot;
  private GroupId[] groups;
  private String[] hosts;
  private byte[][] addresses;
  private int[] ports;
  private int next;

  @Setup(Level.Trial)
  public void compile() throws IOException, PolicyException {
    dir = Files.createTempDirectory("schoolgate-bench-destinations");
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    snapshot = PolicyCompiler.compile(file, Clock.systemUTC());
    groups = new GroupId[CASES.length];
    hosts = new String[CASES.length];
    addresses = new byte[CASES.length][];
    ports = new int[CASES.length];
    for (int i = 0; i < CASES.length; i++) {
      groups[i] = new GroupId(CASES[i][0]);
      hosts[i] = CASES[i][1];
      addresses[i] = InetAddress.getByName(CASES[i][2]).getAddress(); // literals: no lookup
      ports[i] = Integer.parseInt(CASES[i][3]);
    }
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(dir.resolve("policy.yaml"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public Decision decideDestination() {
    int i = next++ & (CASES.length - 1);
    return snapshot.decideDestination(groups[i], hosts[i], addresses[i], ports[i], false, false);
  }

  /** A self-check for the cases, run once with {@code main}: prints each decision. */
  public static void main(String[] args) throws Exception {
    DestinationBenchmark b = new DestinationBenchmark();
    b.compile();
    for (int i = 0; i < CASES.length; i++) {
      Decision d = b.snapshot.decideDestination(b.groups[i], b.hosts[i], b.addresses[i],
          b.ports[i], false, false);
      System.out.println(String.join(" ", CASES[i]) + " -> " + d.action().logName() + ": "
          + d.reason());
    }
    b.delete();
  }
}
