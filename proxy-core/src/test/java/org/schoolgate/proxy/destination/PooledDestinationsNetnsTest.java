package org.schoolgate.proxy.destination;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * The destination check is per request and per group, also on pooled upstream connections: a
 * connection a staff member's request opened to an internal address (staff may reach it) waits
 * idle in the pool, and a pupil's request to the very same address and port is refused before
 * any pooled connection is taken — it never travels on the staff member's connection — while
 * the staff member's next request does reuse it. Requests to the admin origin on one pooled
 * connection each carry their own client's {@code Forwarded} header and the proxy's key. A pupil
 * and a staff member in a network namespace (not the proxy host), a "school server" in another;
 * one event loop, so every client meets the same pool.
 */
class PooledDestinationsNetnsTest {
  private static final int SERVER_PORT = 8080;

  static Netns netns;
  static String clientNs;
  static String serverNs;
  static String proxyIp;
  static String pupil;
  static String staff;
  static String server;
  static Process serverProcess;
  static HttpServer adminOrigin;
  static final List<String> adminSaw = new CopyOnWriteArrayList<>();
  static Path dir;
  static ProxyServer proxy;
  static SimpleMeterRegistry registry;
  static String key;
  static int adminPort;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    netns = new Netns("engine");
    int r = 1 + new SecureRandom().nextInt(250);
    proxyIp = "10.215." + r + ".1";
    pupil = "10.215." + r + ".2";
    staff = "10.215." + r + ".3";
    server = "10.216." + r + ".2";
    clientNs = netns.namespace("c", proxyIp + "/24", pupil + "/24", staff + "/24");
    serverNs = netns.namespace("s", "10.216." + r + ".1/24", server + "/24");
    serverProcess = startServer();

    adminOrigin = HttpServer.create(new InetSocketAddress(proxyIp, 0), 16);
    adminOrigin.createContext("/", exchange -> {
      adminSaw.add(exchange.getRequestHeaders().getFirst("Forwarded") + " key="
          + exchange.getRequestHeaders().getFirst("X-Schoolgate-Proxy-Key") + " from port "
          + exchange.getRemoteAddress().getPort());
      byte[] body = "request access page".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    adminOrigin.start();
    adminPort = adminOrigin.getAddress().getPort();

    dir = Files.createTempDirectory("engine-pool");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [10.215.%1$d.0/24]
        groups:
          pupils: { subnets: [10.215.%1$d.2/32] }
          staff:  { subnets: [10.215.%1$d.3/32] }
        default: acceptable
        destinations:
          allow-internal: [staff]
        """.formatted(r));
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    key = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    registry = new SimpleMeterRegistry();
    PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
    proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(proxyIp, 0))
        .accessLogDir(dir.resolve("logs"))
        .requestAccessUrl("http://" + proxyIp + ":" + adminPort + "/request-access")
        .hostsFile(dir.resolve("no-hosts"))
        .workerThreads(1)
        .destinations(new DestinationSettings(URI.create("http://" + proxyIp + ":" + adminPort),
            key, DestinationSettings.DEFAULT_REFRESH))
        .build(), holder::current, registry, Clock.systemUTC());
  }

  private static Process startServer() throws Exception {
    Path classes = Path.of(NamespaceOrigin.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = Netns.start(serverNs, List.of(java, "-Xmx32m", "-cp", classes.toString(),
        NamespaceOrigin.class.getName(), String.valueOf(SERVER_PORT)));
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return e.toString();
      }
    }).get(60, TimeUnit.SECONDS);
    assertThat(line).as("the school server in the namespace started").isEqualTo("ready");
    return p;
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (proxy != null) {
        proxy.close();
      }
      if (adminOrigin != null) {
        adminOrigin.stop(0);
      }
      if (serverProcess != null) {
        serverProcess.getOutputStream().close();
        if (!serverProcess.waitFor(10, TimeUnit.SECONDS)) {
          serverProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (netns != null) {
        netns.close();
      }
    }
  }

  private static Netns.Result curl(String source, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
        "--noproxy", "", "--interface", source, "-x", "http://" + proxyIp + ":"
            + proxy.address().getPort(), "-w", "\n%{http_code}"));
    command.addAll(List.of(args));
    return Netns.exec(clientNs, command);
  }

  private static String status(Netns.Result result) {
    String[] lines = result.out().strip().split("\n");
    return lines[lines.length - 1];
  }

  private static double upstream(String outcome) {
    return registry.counter(ProxyMetrics.UPSTREAM_CONNECTIONS, "outcome", outcome).count();
  }

  @Test
  void aPupilIsNeverSentToAnInternalAddressOnAConnectionAStaffMemberOpened() throws Exception {
    String url = "http://" + server + ":" + SERVER_PORT + "/";
    Netns.Result first = curl(staff, url + "staff-one");
    assertThat(status(first)).as(first.out()).isEqualTo("200");
    double reusedBefore = upstream("reused");
    double openedBefore = upstream("opened");

    Netns.Result refused = curl(pupil, url + "pupil");

    assertThat(status(refused)).as(refused.out()).isEqualTo("403");
    assertThat(refused.out()).contains("internal-destination").doesNotContain("intranet " + server);
    assertThat(upstream("reused")).as("no pooled connection was taken for the pupil")
        .isEqualTo(reusedBefore);
    assertThat(upstream("opened")).as("and none opened").isEqualTo(openedBefore);

    Netns.Result again = curl(staff, url + "staff-two");
    assertThat(status(again)).as(again.out()).isEqualTo("200");
    assertThat(again.out()).contains("intranet " + server);
    assertThat(upstream("reused")).as("the staff member's connection was waiting in the pool")
        .isGreaterThan(reusedBefore);
  }

  @Test
  void eachRequestToTheAdminOriginOnAPooledConnectionCarriesItsOwnClient() throws Exception {
    String url = "http://" + proxyIp + ":" + adminPort + "/request-access?url=x";
    adminSaw.clear();

    Netns.Result byPupil = curl(pupil, "-H", "Forwarded: for=\"1.2.3.4\"", url);
    Netns.Result byStaff = curl(staff, "-H", "X-Schoolgate-Proxy-Key: forged", url);
    Netns.Result byPupilAgain = curl(pupil, url);

    assertThat(List.of(status(byPupil), status(byStaff), status(byPupilAgain)))
        .containsOnly("200");
    assertThat(adminSaw).hasSize(3);
    assertThat(adminSaw.get(0)).startsWith("for=\"" + pupil + "\" key=" + key + " ");
    assertThat(adminSaw.get(1)).startsWith("for=\"" + staff + "\" key=" + key + " ");
    assertThat(adminSaw.get(2)).startsWith("for=\"" + pupil + "\" key=" + key + " ");
    String port = adminSaw.get(0).substring(adminSaw.get(0).lastIndexOf(' '));
    assertThat(adminSaw).as("all three on one pooled connection").allSatisfy(seen ->
        assertThat(seen).endsWith(port));
  }

  @Test
  void refusalsOnThePooledPathAreLogged() throws Exception {
    curl(pupil, "http://" + server + ":" + SERVER_PORT + "/logged");
    proxy.flushAccessLog(java.time.Duration.ofSeconds(10));
    List<Map<String, Object>> lines = new ArrayList<>();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.toList()) {
        lines.addAll(org.schoolgate.proxy.testing.JsonLines.read(f));
      }
    }
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("path")).isEqualTo("/logged");
      assertThat(line.get("action")).isEqualTo("block");
      assertThat(line.get("rule")).isEqualTo("internal-destination");
      assertThat(line.get("group")).isEqualTo("pupils");
      assertThat(line.get("client")).isEqualTo(pupil);
    });
  }
}
