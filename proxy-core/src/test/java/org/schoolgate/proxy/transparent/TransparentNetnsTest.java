package org.schoolgate.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.testing.Netns;

/**
 * Transparent mode on a real (namespaced) network, with the rule sets shipped in {@code
 * deploy/packaging/transparent} loaded as they are: a pupil namespace with no proxy settings
 * routes through a router namespace (Schoolgate runs there, in its own JVM, as on a school's
 * router) to an "internet" namespace (documentation addresses 203.0.113.10 and .20, so the
 * internal-destination rule does not apply). For each rule set (nftables and iptables, TPROXY
 * and REDIRECT), plain curl from the pupil namespace: an allowed site over HTTP and HTTPS comes
 * through from the address the proxy resolved; a forged name (the pupil connects to .20 naming
 * {@code allowed.test}, Host and SNI) reaches only the site it names (.10); the blocked site gets
 * the block page over HTTP and a refused handshake over HTTPS; the access log has each with the
 * pupil's address and the original destination; UDP to port 443 (QUIC) is dropped while UDP to
 * another port goes through; the proxy port serves the PAC file.
 */
class TransparentNetnsTest {
  private static final String ORIGIN_A = "203.0.113.10";
  private static final String ORIGIN_B = "203.0.113.20";
  private static final Path RULES = Path.of("..", "deploy", "packaging", "transparent");

  static String prefix;
  static final List<String> namespaces = new ArrayList<>();
  static String pupilNs;
  static String routerNs;
  static String internetNs;
  static String pupil;
  static String routerIp;
  static Path dir;
  static Child internet;
  static Child router;
  static Path logs;
  static int round;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    if (Netns.run(List.of("nft", "--version")).code() != 0) {
      throw new AssertionError("this test loads the shipped nftables rules: apt-get install nftables");
    }
    prefix = "nettp" + Long.toHexString(new SecureRandom().nextInt(0xffff) | 0x1000);
    int n = 1 + new SecureRandom().nextInt(250);
    pupil = "10.91." + n + ".2";
    routerIp = "10.91." + n + ".1";
    dir = Files.createTempDirectory("nettp");
    pupilNs = ns("p");
    routerNs = ns("r");
    internetNs = ns("i");
    link("pr", pupilNs, "rp", routerNs);
    link("ri", routerNs, "ir", internetNs);
    ip(pupilNs, "addr", "add", pupil + "/24", "dev", prefix + "pr");
    ip(routerNs, "addr", "add", routerIp + "/24", "dev", prefix + "rp");
    ip(routerNs, "addr", "add", "203.0.113.1/24", "dev", prefix + "ri");
    ip(internetNs, "addr", "add", ORIGIN_A + "/24", "dev", prefix + "ir");
    ip(internetNs, "addr", "add", ORIGIN_B + "/24", "dev", prefix + "ir");
    for (String[] up : new String[][] {{pupilNs, "pr"}, {routerNs, "rp"}, {routerNs, "ri"},
        {internetNs, "ir"}}) {
      ip(up[0], "link", "set", prefix + up[1], "up");
    }
    ip(pupilNs, "route", "add", "default", "via", routerIp);
    ip(internetNs, "route", "add", "default", "via", "203.0.113.1");
    must(Netns.exec(routerNs, List.of("sysctl", "-qw", "net.ipv4.ip_forward=1")));
    internet = startJava(internetNs, InternetOrigins.class,
        dir.resolve("internet-ca.pem").toString(), ORIGIN_A, ORIGIN_B);
    Files.writeString(dir.resolve("policy.yaml"), """
        timezone: Europe/London
        clients:
          allow: [10.91.%1$d.0/24]
        groups:
          pupils: { subnets: [10.91.%1$d.0/24] }
        categories:
          gambling: { domains: [blocked.test] }
        matrix:
          gambling: { default: unacceptable }
        default: acceptable
        """.formatted(n));
  }

  @AfterAll
  static void tearDown() throws Exception {
    List<String> problems = new ArrayList<>();
    stop(internet);
    for (String ns : namespaces) {
      Netns.Result r = Netns.run(List.of("ip", "netns", "del", ns));
      if (r.code() != 0) {
        problems.add(ns + ": " + r.out());
      }
    }
    assertThat(problems).as("namespaces removed").isEmpty();
  }

  @AfterEach
  void stopRouter() throws Exception {
    stop(router);
    router = null;
    if (routerNs != null) { // the next rule set starts from a clean router
      Netns.exec(routerNs, List.of("nft", "flush", "ruleset"));
      Netns.exec(routerNs, List.of("sh", RULES.resolve("schoolgate-tproxy-routes.sh").toString(), "del"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"schoolgate-tproxy.nft", "schoolgate-redirect.nft",
      "schoolgate-tproxy.iptables", "schoolgate-redirect.iptables"})
  void aPupilWithoutProxySettingsIsFiltered(String rules) throws Exception {
    boolean tproxy = rules.contains("tproxy");
    Path file = RULES.resolve(rules);
    assertThat(file).as("the shipped rule set").exists();
    if (rules.endsWith(".nft")) {
      must(Netns.exec(routerNs, List.of("nft", "-f", file.toString())));
    } else {
      must(Netns.exec(routerNs, List.of("sh", "-c", "iptables-restore --noflush < " + file)));
    }
    if (tproxy) {
      must(Netns.exec(routerNs, List.of("sh", RULES.resolve("schoolgate-tproxy-routes.sh").toString())));
    }
    logs = dir.resolve("logs-" + (++round));
    router = startJava(routerNs, RouterProxy.class,
        dir.resolve("policy.yaml").toString(), logs.toString(), tproxy ? "tproxy" : "redirect",
        routerIp, ORIGIN_A);

    // plain HTTP, allowed: the pupil names the site, the proxy fetches it
    assertThat(curl("--resolve", "allowed.test:80:" + ORIGIN_A, "http://allowed.test/hello"))
        .isEqualTo("0 200 origin " + ORIGIN_A + " host allowed.test");
    // a forged Host: the pupil connects to .20 but names allowed.test; only allowed.test answers
    assertThat(curl("--resolve", "allowed.test:80:" + ORIGIN_B, "http://allowed.test/forged"))
        .isEqualTo("0 200 origin " + ORIGIN_A + " host allowed.test");
    // plain HTTP, blocked: the block page
    String blocked = curl("--resolve", "blocked.test:80:" + ORIGIN_A, "http://blocked.test/bet");
    assertThat(blocked).startsWith("0 403 ").contains("blocked.test").contains("gambling")
        .doesNotContain("origin ");
    // HTTPS, allowed, and with a forged SNI target
    String ca = dir.resolve("internet-ca.pem").toString();
    assertThat(curl("--cacert", ca, "--resolve", "allowed.test:443:" + ORIGIN_A,
        "https://allowed.test/secure"))
        .isEqualTo("0 200 origin " + ORIGIN_A + " host allowed.test");
    assertThat(curl("--cacert", ca, "--resolve", "allowed.test:443:" + ORIGIN_B,
        "https://allowed.test/forged"))
        .isEqualTo("0 200 origin " + ORIGIN_A + " host allowed.test");
    // HTTPS, blocked: the handshake is refused (no page can be shown inside TLS)
    String refused = curl("--cacert", ca, "--resolve", "blocked.test:443:" + ORIGIN_A,
        "https://blocked.test/bet");
    assertThat(refused).as("curl's exit code: 35 (handshake failed) or 56 (connection reset)")
        .matches("(35|56) 000 ");

    // QUIC: UDP 443 dropped on the way; UDP to another port goes through (sent after it)
    must(Netns.exec(pupilNs, List.of("bash", "-c", "echo quic-" + round + " > /dev/udp/"
        + ORIGIN_A + "/443; echo other-" + round + " > /dev/udp/" + ORIGIN_A + "/4433")));
    internet.await("udp 4433 other-" + round);
    assertThat(internet.lines).doesNotContain("udp 443 quic-" + round);

    // the PAC file on the proxy port names the proxy as the pupil reached it
    String pac = curl("http://" + routerIp + ":3128/proxy.pac");
    assertThat(pac).startsWith("0 200 ").contains("FindProxyForURL")
        .contains("PROXY " + routerIp + ":3128");

    // the access log: the pupil's address, the decisions, where the pupil meant to go
    stop(router);
    router = null;
    List<String> lines = accessLog(logs);
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + pupil + "\"")
        .contains("\"host\":\"allowed.test\"").contains("\"path\":\"/hello\"")
        .contains("\"action\":\"allow\"").contains("\"dst\":\"" + ORIGIN_A + ":80\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"allowed.test\"")
        .contains("\"path\":\"/forged\"").contains("\"dst\":\"" + ORIGIN_B + ":80\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"blocked.test\"")
        .contains("\"scheme\":\"http\"").contains("\"action\":\"block\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"blocked.test\"")
        .contains("\"scheme\":\"https\"").contains("\"action\":\"block\"")
        .contains("\"dst\":\"" + ORIGIN_A + ":443\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"allowed.test\"")
        .contains("\"scheme\":\"https\"").contains("\"dst\":\"" + ORIGIN_B + ":443\""));
  }

  /** curl from the pupil namespace: "exit-code http-code body". */
  private static String curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-m", "20", "-o", "-", "-w",
        "\\n%{http_code}"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(withNetns(pupilNs, cmd)).redirectError(
        ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl " + cmd + " did not finish");
    }
    int nl = out.lastIndexOf('\n');
    String body = nl < 0 ? "" : out.substring(0, nl);
    String code = out.substring(nl + 1);
    return p.exitValue() + " " + code + " " + body;
  }

  private static List<String> withNetns(String ns, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    return full;
  }

  private static String ns(String name) throws Exception {
    String ns = prefix + name;
    must(Netns.run(List.of("ip", "netns", "add", ns)));
    namespaces.add(ns);
    ip(ns, "link", "set", "lo", "up");
    return ns;
  }

  private static void link(String a, String nsA, String b, String nsB) throws Exception {
    must(Netns.run(List.of("ip", "link", "add", prefix + a, "type", "veth", "peer", "name",
        prefix + b)));
    must(Netns.run(List.of("ip", "link", "set", prefix + a, "netns", nsA)));
    must(Netns.run(List.of("ip", "link", "set", prefix + b, "netns", nsB)));
  }

  private static void ip(String ns, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    must(Netns.run(cmd));
  }

  private static void must(Netns.Result r) {
    if (r.code() != 0) {
      throw new AssertionError("command failed (" + r.code() + "): " + r.out());
    }
  }

  /**
   * A JVM started inside a namespace: its output lines (stdout and stderr) are kept, and handed
   * to waiters as they come.
   */
  static final class Child {
    final Process process;
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.BlockingQueue<String> fresh =
        new java.util.concurrent.LinkedBlockingQueue<>();

    Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
            fresh.add(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "nettp-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits (at most 60 s: a generous ceiling on a shared machine) for the line {@code line}. */
    void await(String line) throws InterruptedException {
      if (lines.contains(line)) {
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        String next = fresh.poll(left, TimeUnit.NANOSECONDS);
        if (line.equals(next) || lines.contains(line)) {
          return;
        }
      }
      throw new AssertionError("no line '" + line + "' within 60 s; the output was:\n"
          + String.join("\n", lines));
    }

    String output() {
      return String.join("\n", lines);
    }
  }

  /** Starts {@code main} in its own JVM inside {@code ns}; returns once it printed ready. */
  private static Child startJava(String ns, Class<?> main, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Child child = new Child(new ProcessBuilder(withNetns(ns, cmd)).redirectErrorStream(true)
        .start());
    try {
      child.await("ready");
    } catch (AssertionError e) {
      child.process.destroyForcibly();
      throw e;
    }
    return child;
  }

  private static void stop(Child child) throws Exception {
    if (child == null) {
      return;
    }
    Process p = child.process;
    try {
      p.getOutputStream().close(); // the child stops when its input ends
    } catch (IOException e) {
      // already gone
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Every access-log line written in {@code logs}. */
  private static List<String> accessLog(Path logs) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(logs)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("access-")).toList()) {
        out.addAll(Files.readAllLines(f));
      }
    }
    return out;
  }
}
