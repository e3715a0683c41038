package org.schoolgate.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.policy.testing.NetnsJvm;

/**
 * Transparent mode on a real (namespaced) network, IPv4 and IPv6, with the rule sets shipped in
 * {@code deploy/packaging/transparent} loaded as they are: a pupil namespace with no proxy
 * settings and both an IPv4 address (10.91.n.2) and a unique local IPv6 one (fd00:6e:n::2, inside
 * the rule sets' IPv6 pupil network fc00::/7) routes through a router namespace (Schoolgate runs
 * there, in its own JVM, as on a school's router; its transparent listeners on [::] take both
 * families) to an "internet" namespace. The internet's addresses are documentation ones, so the
 * internal-destination rule does not refuse them: 203.0.113.10 and .20, and 2001:db8:6e::10 and
 * ::20 (2001:db8::/32 is in none of the built-in internal ranges, which for IPv6 are ULA fc00::/7,
 * site-local, link-local, loopback and NAT64's local-use prefix; the policy needs no {@code
 * destinations:} entry, exactly as for 203.0.113.0/24).
 *
 * <p>For each rule set (nftables, whose one inet table covers both families, and iptables with
 * its ip6tables sibling; TPROXY with {@code schoolgate-tproxy-routes.sh}, and REDIRECT), plain
 * curl from the pupil namespace, over IPv4 and over IPv6: an allowed site over HTTP and HTTPS
 * comes through from the address the proxy resolved; a forged name (the pupil connects to .20
 * naming the allowed site, in Host and SNI) reaches only the site it names (.10); the blocked site
 * gets the block page over HTTP and a refused handshake over HTTPS; the access log has each with
 * the pupil's address and the original destination ({@code [2001:db8:6e:0:0:0:0:20]:443} for
 * IPv6); UDP to port 443 (QUIC) is dropped while UDP to another port goes through; the proxy port
 * serves the PAC file. Each mode runs once on epoll and once on io_uring (nftables' TPROXY and
 * iptables' REDIRECT on epoll, the other two on io_uring): both transports set IP_TRANSPARENT,
 * read the accepted socket's local address and give {@code SO_ORIGINAL_DST} its descriptor.
 *
 * <p>Interception in transparent mode (the router's Schoolgate has a school CA; the pupils'
 * interception mode is {@code paths}, and {@code shop.test/adult/} is an unacceptable {@code
 * urls} entry): a pupil trusting the school CA ({@code curl --cacert}) gets the block page under
 * the school CA for the listed path and the page itself for another path of the same host, both
 * families; without the school CA trusted the handshake fails certificate verification.
 */
class TransparentNetnsTest {
  private static final String ORIGIN_A = "203.0.113.10";
  private static final String ORIGIN_B = "203.0.113.20";
  private static final String ORIGIN_A6 = "2001:db8:6e::10";
  private static final String ORIGIN_B6 = "2001:db8:6e::20";
  private static final Path RULES = Path.of("..", "deploy", "packaging", "transparent");

  static String prefix;
  static final List<String> namespaces = new ArrayList<>();
  static String pupilNs;
  static String routerNs;
  static String internetNs;
  static String pupil;
  static String pupil6;
  static String routerIp;
  static Path dir;
  static NetnsJvm internet;
  static NetnsJvm router;
  static Path logs;
  static int round;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    if (Netns.run(List.of("nft", "--version")).code() != 0) {
      throw new AssertionError("this test loads the shipped nftables rules: apt-get install nftables");
    }
    // names start with n6 (the branch that made IPv6 transparent mode), unique per run
    prefix = "n6tp" + Long.toHexString(new SecureRandom().nextInt(0xffff) | 0x1000);
    int n = 1 + new SecureRandom().nextInt(250);
    String n6 = Integer.toHexString(n);
    pupil = "10.91." + n + ".2";
    routerIp = "10.91." + n + ".1";
    pupil6 = "fd00:6e:" + n6 + "::2";
    String router6 = "fd00:6e:" + n6 + "::1";
    dir = Files.createTempDirectory("n6tp");
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
    // IPv6 without duplicate address detection: the addresses are usable at once
    ip(pupilNs, "addr", "add", pupil6 + "/64", "dev", prefix + "pr", "nodad");
    ip(routerNs, "addr", "add", router6 + "/64", "dev", prefix + "rp", "nodad");
    ip(routerNs, "addr", "add", "2001:db8:6e::1/64", "dev", prefix + "ri", "nodad");
    ip(internetNs, "addr", "add", ORIGIN_A6 + "/64", "dev", prefix + "ir", "nodad");
    ip(internetNs, "addr", "add", ORIGIN_B6 + "/64", "dev", prefix + "ir", "nodad");
    for (String[] up : new String[][] {{pupilNs, "pr"}, {routerNs, "rp"}, {routerNs, "ri"},
        {internetNs, "ir"}}) {
      ip(up[0], "link", "set", prefix + up[1], "up");
    }
    ip(pupilNs, "route", "add", "default", "via", routerIp);
    ip(internetNs, "route", "add", "default", "via", "203.0.113.1");
    ip(pupilNs, "-6", "route", "add", "default", "via", router6);
    ip(internetNs, "-6", "route", "add", "default", "via", "2001:db8:6e::1");
    must(Netns.exec(routerNs, List.of("sysctl", "-qw", "net.ipv4.ip_forward=1")));
    must(Netns.exec(routerNs, List.of("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")));
    internet = NetnsJvm.start(internetNs, InternetOrigins.class,
        dir.resolve("internet-ca.pem").toString(), ORIGIN_A, ORIGIN_B, ORIGIN_A6, ORIGIN_B6);
    Files.writeString(dir.resolve("policy.yaml"), """
        timezone: Europe/London
        clients:
          allow: [10.91.%1$d.0/24, "fd00:6e:%2$s::/64"]
        groups:
          pupils: { subnets: [10.91.%1$d.0/24, "fd00:6e:%2$s::/64"] }
        categories:
          gambling: { domains: [blocked.test, blocked6.test] }
          adult-pages: { urls: [shop.test/adult/, shop6.test/adult/] }
        matrix:
          gambling: { default: unacceptable }
          adult-pages: { default: unacceptable }
        default: acceptable
        interception:
          groups: { default: off, pupils: paths }
        """.formatted(n, n6));
  }

  @AfterAll
  static void tearDown() throws Exception {
    List<String> problems = new ArrayList<>();
    NetnsJvm.stop(internet);
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
    NetnsJvm.stop(router);
    router = null;
    if (routerNs != null) { // the next rule set starts from a clean router
      Netns.exec(routerNs, List.of("nft", "flush", "ruleset"));
      Netns.exec(routerNs, List.of("sh", RULES.resolve("schoolgate-tproxy-routes.sh").toString(), "del"));
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"schoolgate-tproxy.nft, epoll", "schoolgate-redirect.nft, io_uring",
      "schoolgate-tproxy.iptables, io_uring", "schoolgate-redirect.iptables, epoll"})
  void aPupilWithoutProxySettingsIsFiltered(String rules, String transport) throws Exception {
    boolean tproxy = rules.contains("tproxy");
    Path file = RULES.resolve(rules);
    assertThat(file).as("the shipped rule set").exists();
    if (rules.endsWith(".nft")) {
      must(Netns.exec(routerNs, List.of("nft", "-f", file.toString())));
    } else {
      Path file6 = RULES.resolve(rules.replace(".iptables", ".ip6tables"));
      assertThat(file6).as("the shipped IPv6 rule set").exists();
      must(Netns.exec(routerNs, List.of("sh", "-c", "iptables-restore --noflush < " + file)));
      must(Netns.exec(routerNs, List.of("sh", "-c", "ip6tables-restore --noflush < " + file6)));
    }
    if (tproxy) {
      must(Netns.exec(routerNs, List.of("sh", RULES.resolve("schoolgate-tproxy-routes.sh").toString())));
    }
    logs = dir.resolve("logs-" + (++round));
    Path schoolCa = dir.resolve("school-ca-" + round + ".pem");
    router = NetnsJvm.start(routerNs, RouterProxy.class,
        dir.resolve("policy.yaml").toString(), logs.toString(), tproxy ? "tproxy" : "redirect",
        routerIp, ORIGIN_A, ORIGIN_A6, schoolCa.toString(),
        dir.resolve("internet-ca.pem").toString(), transport);

    fetchesAreFiltered("", ORIGIN_A, ORIGIN_B, ORIGIN_A, ORIGIN_B);
    fetchesAreFiltered("6", "[" + ORIGIN_A6 + "]", "[" + ORIGIN_B6 + "]",
        InetAddress.getByName(ORIGIN_A6).getHostAddress(),
        InetAddress.getByName(ORIGIN_B6).getHostAddress());
    interceptedUnderTheSchoolCa("", ORIGIN_A, schoolCa);
    interceptedUnderTheSchoolCa("6", "[" + ORIGIN_A6 + "]", schoolCa);

    // QUIC: UDP 443 dropped on the way; UDP to another port goes through (sent after it)
    for (String[] to : new String[][] {{"", ORIGIN_A}, {"v6-", ORIGIN_A6}}) {
      must(Netns.exec(pupilNs, List.of("bash", "-c", "echo quic-" + to[0] + round
          + " > /dev/udp/" + to[1] + "/443; echo other-" + to[0] + round + " > /dev/udp/"
          + to[1] + "/4433")));
      internet.await("udp 4433 other-" + to[0] + round);
      assertThat(internet.lines).doesNotContain("udp 443 quic-" + to[0] + round);
    }

    // the PAC file on the proxy port names the proxy as the pupil reached it
    String pac = curl("http://" + routerIp + ":3128/proxy.pac");
    assertThat(pac).startsWith("0 200 ").contains("FindProxyForURL")
        .contains("PROXY " + routerIp + ":3128");

    // the access log: the pupil's address, the decisions, where the pupil meant to go
    NetnsJvm.stop(router);
    router = null;
    List<String> lines = accessLog(logs);
    String v6 = InetAddress.getByName(pupil6).getHostAddress();
    String a6 = "[" + InetAddress.getByName(ORIGIN_A6).getHostAddress() + "]";
    String b6 = "[" + InetAddress.getByName(ORIGIN_B6).getHostAddress() + "]";
    for (String[] f : new String[][] {{"", pupil, ORIGIN_A, ORIGIN_B}, {"6", v6, a6, b6}}) {
      String allowed = "allowed" + f[0] + ".test";
      String blockedHost = "blocked" + f[0] + ".test";
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + f[1] + "\"")
          .contains("\"host\":\"" + allowed + "\"").contains("\"path\":\"/hello\"")
          .contains("\"action\":\"allow\"").contains("\"dst\":\"" + f[2] + ":80\""));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"" + allowed + "\"")
          .contains("\"path\":\"/forged\"").contains("\"dst\":\"" + f[3] + ":80\""));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + f[1] + "\"")
          .contains("\"host\":\"" + blockedHost + "\"").contains("\"scheme\":\"http\"")
          .contains("\"action\":\"block\""));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + f[1] + "\"")
          .contains("\"host\":\"" + blockedHost + "\"").contains("\"scheme\":\"https\"")
          .contains("\"action\":\"block\"").contains("\"dst\":\"" + f[2] + ":443\""));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"host\":\"" + allowed + "\"")
          .contains("\"scheme\":\"https\"").contains("\"dst\":\"" + f[3] + ":443\""));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + f[1] + "\"")
          .contains("\"host\":\"shop" + f[0] + ".test\"").contains("\"path\":\"/adult/toys\"")
          .contains("\"action\":\"block\"").contains("\"dst\":\"" + f[2] + ":443\""));
    }
  }

  /**
   * Allowed, forged and blocked fetches over HTTP and HTTPS to the names ending in {@code six}
   * ("" or "6"), connecting to {@code a} or {@code b} (as curl's --resolve takes them), which
   * answer as {@code answerA} and {@code answerB}.
   */
  private static void fetchesAreFiltered(String six, String a, String b, String answerA,
      String answerB) throws Exception {
    String allowed = "allowed" + six + ".test";
    String blockedHost = "blocked" + six + ".test";
    // plain HTTP, allowed: the pupil names the site, the proxy fetches it
    assertThat(curl("--resolve", allowed + ":80:" + a, "http://" + allowed + "/hello"))
        .isEqualTo("0 200 origin " + answerA + " host " + allowed);
    // a forged Host: the pupil connects to B but names the allowed site; only that site answers
    assertThat(curl("--resolve", allowed + ":80:" + b, "http://" + allowed + "/forged"))
        .isEqualTo("0 200 origin " + answerA + " host " + allowed);
    // plain HTTP, blocked: the block page
    String blocked = curl("--resolve", blockedHost + ":80:" + a, "http://" + blockedHost + "/bet");
    assertThat(blocked).startsWith("0 403 ").contains(blockedHost).contains("gambling")
        .doesNotContain("origin ");
    // HTTPS, allowed, and with a forged SNI target
    String ca = dir.resolve("internet-ca.pem").toString();
    assertThat(curl("--cacert", ca, "--resolve", allowed + ":443:" + a,
        "https://" + allowed + "/secure"))
        .isEqualTo("0 200 origin " + answerA + " host " + allowed);
    assertThat(curl("--cacert", ca, "--resolve", allowed + ":443:" + b,
        "https://" + allowed + "/forged"))
        .isEqualTo("0 200 origin " + answerA + " host " + allowed);
    // HTTPS, blocked: the handshake is refused (no page can be shown inside TLS)
    String refused = curl("--cacert", ca, "--resolve", blockedHost + ":443:" + a,
        "https://" + blockedHost + "/bet");
    assertThat(refused).as("curl's exit code: 35 (handshake failed) or 56 (connection reset)")
        .matches("(35|56) 000 ");
  }

  /**
   * {@code shop<six>.test} at {@code a}: intercepted for pupils (a {@code urls} entry names a path
   * under it), so its listed path gets the block page under the school CA and another path loads;
   * a pupil not trusting the school CA cannot complete the handshake.
   */
  private static void interceptedUnderTheSchoolCa(String six, String a, Path schoolCa)
      throws Exception {
    String shop = "shop" + six + ".test";
    String resolve = shop + ":443:" + a;
    String listed = curl("--cacert", schoolCa.toString(), "--resolve", resolve,
        "https://" + shop + "/adult/toys");
    assertThat(listed).startsWith("0 403 ").contains(shop).contains("adult-pages")
        .doesNotContain("origin ");
    String other = curl("--cacert", schoolCa.toString(), "--resolve", resolve,
        "https://" + shop + "/books/maths");
    assertThat(other).isEqualTo("0 200 origin "
        + InetAddress.getByName(a.replace("[", "").replace("]", "")).getHostAddress()
        + " host " + shop);
    // the issuer curl saw is the school CA's: its name is only in that certificate
    String issuer = curlStderr("-v", "--cacert", schoolCa.toString(), "--resolve", resolve,
        "https://" + shop + "/books/maths");
    assertThat(issuer).contains("issuer: O=Schoolgate; CN=Transparent Test School Schoolgate CA");
    // without the school CA trusted (only the internet's CA), verification fails: exit 60
    String untrusted = curl("--cacert", dir.resolve("internet-ca.pem").toString(), "--resolve",
        resolve, "https://" + shop + "/adult/toys");
    assertThat(untrusted).as("curl's exit code 60: the peer's certificate is not trusted")
        .startsWith("60 000 ");
  }

  /** curl from the pupil namespace, returning what it wrote to stderr (with -v: the handshake). */
  private static String curlStderr(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-m", "20", "-o", "/dev/null"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(withNetns(pupilNs, cmd)).redirectOutput(
        ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl " + cmd + " did not finish");
    }
    return err;
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
