package org.schoolgate.proxy.destination;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.JsonLines;
import org.schoolgate.proxy.testing.TestDnsServer;

/**
 * The destination rules from another machine, as an attacker would try them: a pupil and a
 * staff member in a Linux network namespace (a veth pair to this host, so their addresses are not
 * the proxy host's) send curl through the proxy. Every spelling of the proxy host, link-local,
 * cloud metadata and internal addresses is refused with the 403 page for plain HTTP, CONNECT, an
 * intercepted tunnel and a WebSocket upgrade, and nothing reaches the origin on 127.0.0.1; the
 * intranet list lets exactly what it names through to a "school server" in a second namespace;
 * staff reach internal addresses; the admin origin (on this host's veth address) opens for the
 * pupil with the proxy's {@code Forwarded} header and key, a forged one stripped.
 */
class DestinationRulesNetnsTest {
  private static final int SERVER_PORT = 8080;

  static Netns netns;
  static String clientNs;
  static String serverNs;
  static int r;
  static String proxyIp;
  static String pupil;
  static String staff;
  static String serverA;
  static String serverB;
  static Process serverProcess;
  static HttpServer loopbackOrigin;
  static final AtomicInteger loopbackHits = new AtomicInteger();
  static HttpServer adminOrigin;
  static final Map<String, String> adminSaw = new ConcurrentHashMap<>();
  static final TestDnsServer dns = new TestDnsServer();
  static Path dir;
  static ProxyServer proxy;
  static SimpleMeterRegistry registry;
  static String key;
  static int loopbackPort;
  static int adminPort;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    netns = new Netns("fdst");
    r = 1 + new SecureRandom().nextInt(250);
    proxyIp = "10.213." + r + ".1";
    pupil = "10.213." + r + ".2";
    staff = "10.213." + r + ".3";
    serverA = "10.214." + r + ".2";
    serverB = "10.214." + r + ".130";
    clientNs = netns.namespace("c", proxyIp + "/24", pupil + "/24", staff + "/24");
    serverNs = netns.namespace("s", "10.214." + r + ".1/24", serverA + "/24", serverB + "/24");
    serverProcess = startServer();

    loopbackOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    loopbackOrigin.createContext("/", exchange -> {
      loopbackHits.incrementAndGet();
      byte[] body = "SECRET from the proxy host".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    loopbackOrigin.start();
    loopbackPort = loopbackOrigin.getAddress().getPort();

    adminOrigin = HttpServer.create(new InetSocketAddress(proxyIp, 0), 16);
    adminOrigin.createContext("/", exchange -> {
      exchange.getRequestHeaders().forEach((name, values) ->
          adminSaw.put(name.toLowerCase(), String.join(" | ", values)));
      byte[] body = "request access page".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    adminOrigin.start();
    adminPort = adminOrigin.getAddress().getPort();

    dns.answer("rebind.test", "127.0.0.1").answer("inside.test", serverA)
        .answer("tls-rebind.test", "127.0.0.1").answer("meta.test", "169.254.169.254");
    dns.beforeAll(null);

    dir = Files.createTempDirectory("fdst");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [10.213.%1$d.0/24, 127.0.0.0/8]
        groups:
          pupils: { subnets: [10.213.%1$d.2/32, 127.0.0.0/8] }
          staff:  { subnets: [10.213.%1$d.3/32] }
        categories:
          decrypted: { domains: [tls-rebind.test] }
        matrix:
          decrypted: { default: acceptable }
        default: acceptable
        tunnels:
          allowed-ports: [1-65535]
          ip-allow: [0.0.0.0/0, "::/0"]
        safesearch:
          search: { default: enforce }
        interception:
          groups: { default: off, pupils: search }
          categories: [decrypted]
        destinations:
          allow-internal: [staff]
          intranet:
            - { host: vle.test, ports: [%2$d] }
            - { network: 10.214.%1$d.128/25 }
        """.formatted(r, SERVER_PORT));
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 printer-hosts.test\n");
    SchoolCa ca = SchoolCa.generate("Netns Test School", Clock.systemUTC());
    Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
    LeafCertificates leaves = new LeafCertificates(ca, ForkJoinPool.commonPool(),
        Clock.systemUTC(), Duration.ofDays(7), 100);
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    key = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    registry = new SimpleMeterRegistry();
    PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
    proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(proxyIp, 0))
        .accessLogDir(dir.resolve("logs"))
        .requestAccessUrl("http://" + proxyIp + ":" + adminPort + "/request-access")
        .staticHosts(Map.of("static.test", InetAddress.getByName("127.0.0.1"),
            "vle.test", InetAddress.getByName(serverA),
            // the site's own address is one pupils may reach; its safe variant's is the proxy host
            "www.google.com", InetAddress.getByName(serverB),
            "forcesafesearch.google.com", InetAddress.getByName("127.0.0.1")))
        .dnsServers(List.of(dns.address()))
        .hostsFile(hosts)
        .workerThreads(2)
        .interception(InterceptionSettings.of(leaves, List.of()))
        .destinations(new DestinationSettings(
            java.net.URI.create("http://" + proxyIp + ":" + adminPort), key,
            DestinationSettings.DEFAULT_REFRESH))
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
      if (loopbackOrigin != null) {
        loopbackOrigin.stop(0);
      }
      if (adminOrigin != null) {
        adminOrigin.stop(0);
      }
      dns.afterAll(null);
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

  /** curl in the client namespace from {@code source} through the proxy; body + status line. */
  private static Netns.Result curl(String source, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
        "--noproxy", "", "--interface", source, "-x", "http://" + proxyIp + ":"
            + proxy.address().getPort(), "-w", "\n%{http_code} %{http_connect}"));
    command.addAll(List.of(args));
    return Netns.exec(clientNs, command);
  }

  private static String status(Netns.Result result) {
    String[] lines = result.out().strip().split("\n");
    return lines[lines.length - 1];
  }

  @ParameterizedTest(name = "HTTP {0} is refused")
  @ValueSource(strings = {"127.0.0.1", "localhost", "localhost.", "2130706433", "0x7f000001",
      "0x7f.1", "0177.0.0.1", "127.1", "0.0.0.0", "[::ffff:127.0.0.1]", "[::1]",
      "printer-hosts.test", "static.test", "rebind.test", "PROXY"})
  void everySpellingOfTheProxyHostIsRefusedOverHttp(String host) throws Exception {
    String h = host.equals("PROXY") ? proxyIp : host;
    Netns.Result result = curl(pupil, "http://" + h + ":" + loopbackPort + "/metrics");

    assertThat(status(result)).as(result.out()).startsWith("403 ");
    assertThat(result.out()).contains("be opened through the web filter")
        .contains("internal-destination").doesNotContain("SECRET");
    assertThat(loopbackHits).hasValue(0);
  }

  @ParameterizedTest(name = "HTTP {0} is refused")
  @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/",
      "http://metadata.google.internal/computeMetadata/v1/", "http://meta.test/",
      "http://inside.test:8080/", "http://[fe80::1]/", "http://[::ffff:a9fe:a9fe]/"})
  void linkLocalMetadataAndInternalAddressesAreRefusedOverHttp(String url) throws Exception {
    Netns.Result result = curl(pupil, url);

    assertThat(status(result)).as(result.out()).startsWith("403 ");
    assertThat(result.out()).contains("internal-destination");
  }

  @ParameterizedTest(name = "CONNECT {0} is refused")
  @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "printer-hosts.test", "static.test",
      "rebind.test", "10.1.2.3", "169.254.169.254", "metadata.google.internal"})
  void connectToTheProxyHostOrInsideIsRefused(String host) throws Exception {
    Netns.Result result = curl(pupil, "-p", "http://" + host + ":" + loopbackPort + "/");

    assertThat(status(result)).as(result.out()).endsWith(" 403");
    assertThat(loopbackHits).hasValue(0);
  }

  @Test
  void anInterceptedTunnelWhoseOriginResolvesInsideIsRefusedInsideTheTunnel() throws Exception {
    Netns.Result result = curl(pupil, "--cacert", dir.resolve("ca.pem").toString(),
        "https://tls-rebind.test:" + loopbackPort + "/");

    assertThat(status(result)).as(result.out()).startsWith("403 200");
    assertThat(result.out()).contains("internal-destination");
    assertThat(loopbackHits).hasValue(0);
  }

  @Test
  void theSafeSearchAddressIsCheckedNotOnlyTheSitesOwn() throws Exception {
    Netns.Result search = curl(pupil, "http://www.google.com:" + loopbackPort + "/search?q=x");

    assertThat(status(search)).as(search.out()).startsWith("403 ");
    assertThat(search.out()).contains("internal-destination").doesNotContain("SECRET");
    assertThat(loopbackHits).hasValue(0);
  }

  @Test
  void aWebSocketUpgradeToTheProxyHostIsRefused() throws Exception {
    Netns.Result result = curl(pupil, "-H", "Connection: Upgrade", "-H", "Upgrade: websocket",
        "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "http://localhost:" + loopbackPort + "/socket");

    assertThat(status(result)).as(result.out()).startsWith("403 ");
    assertThat(loopbackHits).hasValue(0);
  }

  @Test
  void theIntranetListLetsExactlyWhatItNamesThrough() throws Exception {
    Netns.Result byName = curl(pupil, "http://vle.test:" + SERVER_PORT + "/");
    Netns.Result byNetwork = curl(pupil, "http://" + serverB + ":" + SERVER_PORT + "/");
    Netns.Result sameAddressOtherName = curl(pupil, "http://" + serverA + ":" + SERVER_PORT + "/");
    Netns.Result otherPort = curl(pupil, "http://vle.test:" + (SERVER_PORT + 1) + "/");
    Netns.Result byDnsName = curl(pupil, "http://inside.test:" + SERVER_PORT + "/");

    assertThat(status(byName)).as(byName.out()).startsWith("200 ");
    assertThat(byName.out()).contains("intranet " + serverA);
    assertThat(status(byNetwork)).as(byNetwork.out()).startsWith("200 ");
    assertThat(byNetwork.out()).contains("intranet " + serverB);
    assertThat(status(sameAddressOtherName)).startsWith("403 ");
    assertThat(status(otherPort)).startsWith("403 ");
    assertThat(status(byDnsName)).startsWith("403 ");
  }

  @Test
  void staffReachInternalAddressesButNeverTheProxyHost() throws Exception {
    Netns.Result inside = curl(staff, "http://" + serverA + ":" + SERVER_PORT + "/");
    Netns.Result tunnel = curl(staff, "-p", "http://inside.test:" + SERVER_PORT + "/");
    Netns.Result proxyHost = curl(staff, "http://127.0.0.1:" + loopbackPort + "/");

    assertThat(status(inside)).as(inside.out()).startsWith("200 ");
    assertThat(inside.out()).contains("intranet " + serverA);
    assertThat(status(tunnel)).as(tunnel.out()).endsWith(" 200"); // CONNECT established
    assertThat(status(proxyHost)).startsWith("403 ");
    assertThat(loopbackHits).hasValue(0);
  }

  @Test
  void theRequestAccessPageOpensForAPupilWithTheProxysForwardedHeaderAndKey() throws Exception {
    Netns.Result page = curl(pupil, "-H", "Forwarded: for=\"1.2.3.4\"", "-H",
        "X-Forwarded-For: 6.6.6.6", "-H", "X-Schoolgate-Proxy-Key: forged", "-H",
        "X-Forwarded-Host: evil.test",
        "http://" + proxyIp + ":" + adminPort + "/request-access?url=x");

    assertThat(status(page)).as(page.out()).startsWith("200 ");
    assertThat(page.out()).contains("request access page");
    assertThat(adminSaw).containsEntry("forwarded", "for=\"" + pupil + "\"")
        .containsEntry("x-schoolgate-proxy-key", key)
        .doesNotContainKey("x-forwarded-for").doesNotContainKey("x-forwarded-host");
  }

  @Test
  void refusalsAreLoggedAndCounted() throws Exception {
    curl(pupil, "http://10.1.2.3/logged");
    proxy.flushAccessLog(Duration.ofSeconds(10));
    List<Map<String, Object>> lines = new ArrayList<>();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.toList()) {
        lines.addAll(JsonLines.read(f));
      }
    }
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("host")).isEqualTo("10.1.2.3");
      assertThat(line.get("action")).isEqualTo("block");
      assertThat(line.get("rule")).isEqualTo("internal-destination");
      assertThat(line.get("client")).isEqualTo(pupil);
    });
    assertThat(registry.find(ProxyMetrics.DESTINATION_REFUSED).tag("kind", "internal").counter())
        .isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
    assertThat(registry.find(ProxyMetrics.DESTINATION_REFUSED).tag("kind", "proxy-host")
        .counter().count()).isPositive();
  }
}
