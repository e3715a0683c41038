package org.schoolgate.proxy.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.JsonLines;

/**
 * A personal device on the BYOD network, from another machine: a phone in a Linux network
 * namespace sends curl through the proxy and gets a public web site (an origin in a second
 * namespace on a public address), while the school's server (a third namespace, on an internal
 * address) is refused with the personal-device page, logged with its rule and reason and counted;
 * a school laptop in the same group on the same client subnet reaches that server, so it is the
 * device class that refuses it, not the group.
 */
class PersonalDeviceNetnsTest {
  private static final int PORT = 8080;

  static Netns netns;
  static String clientNs;
  static String proxyIp;
  static String phone;
  static String laptop;
  static String publicSite;
  static String schoolServer;
  static final List<Process> origins = new ArrayList<>();
  static Path dir;
  static ProxyServer proxy;
  static SimpleMeterRegistry registry;

  @BeforeAll
  static void setUp() throws Exception {
    Netns.requireRootAndIp();
    netns = new Netns("idgap");
    int r = 1 + new SecureRandom().nextInt(250);
    proxyIp = "10.217." + r + ".1";
    phone = "10.217." + r + ".2";
    laptop = "10.217." + r + ".3";
    publicSite = "5.101." + r + ".2";
    schoolServer = "10.218." + r + ".2";
    clientNs = netns.namespace("c", proxyIp + "/24", phone + "/24", laptop + "/24");
    origins.add(startOrigin(netns.namespace("p", "5.101." + r + ".1/24", publicSite + "/24")));
    origins.add(startOrigin(netns.namespace("s", "10.218." + r + ".1/24", schoolServer + "/24")));

    dir = Files.createTempDirectory("idgap");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [10.217.%1$d.0/24]
        groups:
          staff: { subnets: [10.217.%1$d.0/24] }
        default: acceptable
        destinations:
          allow-internal: [staff]
        identification:
          networks:
            byod: { subnets: [%2$s/32], device: personal }
        """.formatted(r, phone));
    registry = new SimpleMeterRegistry();
    PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
    proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(proxyIp, 0))
        .accessLogDir(dir.resolve("logs"))
        .requestAccessUrl("http://" + proxyIp + ":1/request-access")
        .dnsServers(List.of())
        .workerThreads(2)
        .build(), holder::current, registry, Clock.systemUTC());
  }

  private static Process startOrigin(String ns) throws Exception {
    Path classes = Path.of(NamespaceOrigin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = Netns.start(ns, List.of(java, "-Xmx32m", "-cp", classes.toString(), NamespaceOrigin.class.getName(),
        String.valueOf(PORT)));
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return e.toString();
      }
    }).get(60, TimeUnit.SECONDS);
    assertThat(line).as("the origin in " + ns + " started").isEqualTo("ready");
    return p;
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (proxy != null) {
        proxy.close();
      }
      for (Process p : origins) {
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (netns != null) {
        netns.close();
      }
    }
  }

  /** curl in the client namespace from {@code source} through the proxy: body, then the status. */
  private static Netns.Result curl(String source, String url) throws Exception {
    return Netns.exec(clientNs, List.of("curl", "-sS", "--max-time", "20", "--noproxy", "", "--interface", source,
        "-x", "http://" + proxyIp + ":" + proxy.address().getPort(), "-w", "\n%{http_code}", url));
  }

  private static String status(Netns.Result result) {
    String[] lines = result.out().strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void thePhoneGetsThePublicSiteAndIsRefusedTheSchoolServerWithThePersonalDevicePage() throws Exception {
    Netns.Result site = curl(phone, "http://" + publicSite + ":" + PORT + "/news");
    Netns.Result server = curl(phone, "http://" + schoolServer + ":" + PORT + "/grades");
    Netns.Result fromLaptop = curl(laptop, "http://" + schoolServer + ":" + PORT + "/laptop");

    assertThat(status(site)).as(site.out()).isEqualTo("200");
    assertThat(site.out()).contains("intranet " + publicSite);
    assertThat(status(server)).as(server.out()).isEqualTo("403");
    assertThat(server.out()).contains("Personal devices reach the internet only")
        .contains("personal (bring-your-own-device) network").doesNotContain("intranet " + schoolServer)
        .doesNotContain("request-access");
    assertThat(status(fromLaptop)).as(fromLaptop.out()).isEqualTo("200");
    assertThat(fromLaptop.out()).contains("intranet " + schoolServer);

    proxy.flushAccessLog(Duration.ofSeconds(10));
    List<Map<String, Object>> lines = new ArrayList<>();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.toList()) {
        lines.addAll(JsonLines.read(f));
      }
    }
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("path")).isEqualTo("/grades");
      assertThat(line.get("client")).isEqualTo(phone);
      assertThat(line.get("action")).isEqualTo("block");
      assertThat(line.get("rule")).isEqualTo("internal-destination");
      assertThat((String) line.get("reason")).contains("personally owned device, which reaches the internet only");
    });
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("path")).isEqualTo("/news");
      assertThat(line.get("action")).isEqualTo("allow");
    });
    assertThat(registry.find(ProxyMetrics.DESTINATION_REFUSED).tag("kind", "personal-device").counter())
        .isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
  }
}
