package org.schoolgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * What share of the UT1 hosts the {@code paths} interception mode decrypts: the whole UT1 feed
 * compiled as {@link Ut1Policy} does, with {@code interception: { groups: { default: paths } }};
 * then every distinct host of every {@code domains} file, and every host of every {@code urls}
 * file, is decided as a CONNECT for the secondary group and asked
 * {@code PolicySnapshot.interception}. Prints the counts and shares.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar -Dschoolgate.shared.dir=/work/shared org.schoolgate.bench.PathsShare
 * </pre>
 */
public final class PathsShare {
  private PathsShare() {}

  public static void main(String[] args) throws Exception {
    Path blacklists = Ut1Policy.blacklists();
    Path dir = Files.createTempDirectory("schoolgate-paths-share");
    Path file = Ut1Policy.write(dir, blacklists);
    Files.writeString(file, Files.readString(file) + "interception:\n  groups: { default: paths }\n");
    long t0 = System.nanoTime();
    PolicySnapshot policy = PolicyCompiler.compile(file, Clock.systemUTC());
    System.out.printf("compiled the UT1 policy in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    Set<String> domainHosts = hosts(blacklists, "domains.gz", false);
    Set<String> urlHosts = hosts(blacklists, "urls.gz", true);
    GroupId group = new GroupId("secondary");
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    report("UT1 domains entries", domainHosts, policy, group, at);
    report("UT1 urls entries' hosts", urlHosts, policy, group, at);
    Set<String> all = new HashSet<>(domainHosts);
    all.addAll(urlHosts);
    report("every UT1 host (domains and urls)", all, policy, group, at);
  }

  private static void report(String what, Set<String> hosts, PolicySnapshot policy, GroupId group, Instant at) {
    long intercepted = 0;
    long blocked = 0;
    for (String host : hosts) {
      Decision d = policy.decide(new RequestFacts(group, null, host, "", at));
      if (d.blocked()) {
        blocked++;
      }
      if (policy.interception(group, host, d) == InterceptChoice.PATHS) {
        intercepted++;
      }
    }
    System.out.printf("%s: %,d hosts, %,d decrypted by 'paths' (%.3f %%), %,d blocked at CONNECT for secondary%n",
        what, hosts.size(), intercepted, 100.0 * intercepted / Math.max(1, hosts.size()), blocked);
  }

  /** The distinct hosts of every category's {@code name} file (for urls files, the part before the first '/'). */
  private static Set<String> hosts(Path blacklists, String name, boolean urls) throws Exception {
    Set<String> out = new HashSet<>();
    for (Path d : Ut1Policy.categoryDirs(blacklists)) {
      Path gz = d.resolve(name);
      if (!Files.isRegularFile(gz)) {
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String s = line.strip().toLowerCase(java.util.Locale.ROOT);
          if (s.isEmpty() || s.startsWith("#")) {
            continue;
          }
          int slash = s.indexOf('/');
          out.add(urls && slash >= 0 ? s.substring(0, slash) : s);
        }
      }
    }
    return out;
  }
}
