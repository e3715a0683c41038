package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.policy.testing.NetnsJvm;

/**
 * The DNS filter and the page listener on a real (namespaced) network: a pupil namespace whose
 * only resolver is the filtering DNS resolver ({@code /etc/netns/<pupil>/resolv.conf}, which
 * {@code ip netns exec} puts in place of {@code /etc/resolv.conf}) and a school-server namespace
 * running Schoolgate in its own JVM ({@link SchoolServices}): the filter on 10.94.n.1:53, the page
 * listener at the block-answer address 10.94.n.5 (ports 80 and 443, with a school CA). Plain curl
 * in the pupil namespace, no proxy settings:
 * <ul>
 *   <li>a blocked name resolves to the page listener's address, and {@code http://blocked.example/}
 *       there gets the block page naming the name asked for;
 *   <li>WPAD found through DNS: {@code http://wpad.school.test/wpad.dat} (the school's DNS points
 *       the name at the listener; the policy lists the name in {@code destinations.intranet}, else
 *       the filter would refuse its internal address for pupils as DNS rebinding) is the PAC
 *       file, with the PAC content type, naming the proxy;
 *   <li>{@code https://blocked.example/} with the school CA trusted gets the block page under a
 *       leaf for {@code blocked.example} from the school CA; without it, the handshake fails;
 *   <li>the access log has the DNS query (blocked, answered with the address) and the page.
 * </ul>
 */
class PageListenerNetnsTest {
  private static final List<String> namespaces = new ArrayList<>();
  private static String pupilNs;
  private static String pupil;
  private static String server;
  private static String pages;
  private static Path dir;
  private static Path resolvConf;
  private static Path logs;
  private static NetnsJvm school;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    // names start with n6 (the branch that wrote this test), unique per run
    String prefix = "n6pl" + Long.toHexString(new SecureRandom().nextInt(0xffff) | 0x1000);
    int n = 1 + new SecureRandom().nextInt(250);
    pupil = "10.94." + n + ".2";
    server = "10.94." + n + ".1";
    pages = "10.94." + n + ".5";
    dir = Files.createTempDirectory("n6pl");
    logs = dir.resolve("logs");
    pupilNs = ns(prefix + "p");
    String serverNs = ns(prefix + "s");
    must(Netns.run(List.of("ip", "link", "add", prefix + "ps", "type", "veth", "peer", "name",
        prefix + "sp")));
    must(Netns.run(List.of("ip", "link", "set", prefix + "ps", "netns", pupilNs)));
    must(Netns.run(List.of("ip", "link", "set", prefix + "sp", "netns", serverNs)));
    must(Netns.exec(pupilNs, List.of("ip", "addr", "add", pupil + "/24", "dev", prefix + "ps")));
    must(Netns.exec(serverNs, List.of("ip", "addr", "add", server + "/24", "dev", prefix + "sp")));
    must(Netns.exec(serverNs, List.of("ip", "addr", "add", pages + "/24", "dev", prefix + "sp")));
    must(Netns.exec(pupilNs, List.of("ip", "link", "set", prefix + "ps", "up")));
    must(Netns.exec(serverNs, List.of("ip", "link", "set", prefix + "sp", "up")));
    resolvConf = Path.of("/etc/netns", pupilNs, "resolv.conf");
    Files.createDirectories(resolvConf.getParent());
    Files.writeString(resolvConf, "nameserver " + server + "\noptions timeout:5 attempts:2\n");
    Files.writeString(dir.resolve("policy.yaml"), """
        timezone: Europe/London
        clients:
          allow: [10.94.%1$d.0/24]
        groups:
          pupils: { subnets: [10.94.%1$d.0/24] }
        categories:
          gambling: { domains: [blocked.example] }
        matrix:
          gambling: { default: unacceptable }
        default: acceptable
        destinations:
          # school.test is a public-looking name: without this entry the filter refuses its
          # internal address for pupils as DNS rebinding (AnswerCheck)
          intranet:
            - { host: wpad.school.test, ports: [80] }
        """.formatted(n));
    school = NetnsJvm.start(serverNs, SchoolServices.class, dir.resolve("policy.yaml").toString(),
        logs.toString(), server, pages, dir.resolve("school-ca.pem").toString());
  }

  @AfterAll
  static void tearDown() throws Exception {
    List<String> problems = new ArrayList<>();
    NetnsJvm.stop(school);
    if (resolvConf != null) {
      Files.deleteIfExists(resolvConf);
      Files.deleteIfExists(resolvConf.getParent());
      try {
        Files.delete(resolvConf.getParent().getParent()); // /etc/netns, when no one else uses it
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // another namespace's files are there, or it is gone already
      }
    }
    for (String ns : namespaces) {
      Netns.Result r = Netns.run(List.of("ip", "netns", "del", ns));
      if (r.code() != 0) {
        problems.add(ns + ": " + r.out());
      }
    }
    assertThat(problems).as("namespaces removed").isEmpty();
  }

  @Test
  void aBlockedNameMeetsThePageListenerAndWpadFindsThePacFile() throws Exception {
    // the filter answers the blocked name with the page listener's address
    assertThat(must(Netns.exec(pupilNs, List.of("getent", "ahostsv4", "blocked.example"))))
        .startsWith(pages + " ");

    Curl blocked = curl("http://blocked.example/bet?x=1");
    assertThat(blocked.remoteIp()).isEqualTo(pages);
    assertThat(blocked.status()).isEqualTo("403");
    assertThat(blocked.body()).contains("blocked.example").contains("gambling");

    Curl wpad = curl("http://wpad.school.test/wpad.dat");
    assertThat(wpad.remoteIp()).isEqualTo(pages);
    assertThat(wpad.status()).isEqualTo("200");
    assertThat(wpad.contentType()).isEqualTo("application/x-ns-proxy-autoconfig");
    assertThat(wpad.body()).contains("function FindProxyForURL")
        .contains("PROXY wpad.school.test:3128");

    String ca = dir.resolve("school-ca.pem").toString();
    Curl overTls = curl("--cacert", ca, "https://blocked.example/bet");
    assertThat(overTls.exit()).isZero();
    assertThat(overTls.remoteIp()).isEqualTo(pages);
    assertThat(overTls.status()).isEqualTo("403");
    assertThat(overTls.body()).contains("blocked.example").contains("gambling");
    assertThat(overTls.stderr()).contains("subject: O=Schoolgate; CN=blocked.example")
        .contains("issuer: O=Schoolgate; CN=Page Listener Netns School Schoolgate CA");
    // without the school CA trusted, curl refuses the certificate (exit 60)
    assertThat(curl("https://blocked.example/bet").exit()).isEqualTo(60);

    NetnsJvm.stop(school); // flushes the access log
    school = null;
    List<String> lines = accessLog();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"dns\"")
        .contains("\"client\":\"" + pupil + "\"").contains("blocked.example")
        .contains("\"action\":\"block\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).doesNotContain("\"event\":\"dns\"")
        .contains("\"client\":\"" + pupil + "\"").contains("\"host\":\"blocked.example\"")
        .contains("\"action\":\"block\""));
  }

  /** One curl's outcome: exit code, status, content type, the address it reached, body, -v. */
  record Curl(int exit, String status, String contentType, String remoteIp, String body,
      String stderr) {}

  private static Curl curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", pupilNs, "curl", "-sS",
        "-v", "-m", "30", "-o", "-", "-w", "\\n%{http_code} %{remote_ip} %{content_type}"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "curl", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl " + cmd + " did not finish");
    }
    int nl = out.lastIndexOf('\n');
    String[] w = out.substring(nl + 1).split(" ", 3);
    return new Curl(p.exitValue(), w[0], w.length > 2 ? w[2] : "", w.length > 1 ? w[1] : "",
        nl < 0 ? "" : out.substring(0, nl), Files.readString(err));
  }

  private static List<String> accessLog() throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(logs)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("access-")).sorted()
          .toList()) {
        out.addAll(Files.readAllLines(f));
      }
    }
    return out;
  }

  private static String ns(String name) throws Exception {
    must(Netns.run(List.of("ip", "netns", "add", name)));
    namespaces.add(name);
    must(Netns.exec(name, List.of("ip", "link", "set", "lo", "up")));
    return name;
  }

  private static String must(Netns.Result r) {
    if (r.code() != 0) {
      throw new AssertionError("command failed (" + r.code() + "): " + r.out());
    }
    return r.out();
  }
}
