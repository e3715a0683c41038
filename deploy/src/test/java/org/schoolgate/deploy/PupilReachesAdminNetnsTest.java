package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;

/**
 * Issue 11's last proof, with the whole wired {@link Schoolgate} (the proxy holding the per-process
 * key, the admin API trusting it, SQLite, the sample policy): a pupil on another machine (a Linux
 * network namespace joined to this host by a veth pair) whose browser uses the proxy on this
 * host's veth address. The admin API listens on that same address (plain HTTP, as behind a
 * school's TLS front), so its public URL is one the pupil could open without the proxy anyway.
 *
 * <ul>
 *   <li>the block page's request-access link opens through the proxy (200, the page with its
 *       sign-in form);
 *   <li>wrong passwords sent through the proxy are recorded under the pupil's address, never the
 *       proxy's, and lock out only the pupil: the account's owner at her desk (another address in
 *       the namespace) signs in, directly and through the proxy;
 *   <li>the pupil cannot forge who they are: {@code Forwarded}, {@code X-Forwarded-For}, {@code
 *       X-Real-IP} and {@code X-Schoolgate-Proxy-Key} sent through the proxy are replaced, and sent
 *       straight to the admin API are ignored (and counted);
 *   <li>everything else on the proxy host and inside is refused with the 403 page (the proxy host's
 *       own address on another port, loopback by name and by a static name, an RFC 1918 address,
 *       CONNECT to cloud metadata), and the refusals raise one circumvention alert for technicians
 *       per pupil per window, as any other circumvention does.
 * </ul>
 */
class PupilReachesAdminNetnsTest {
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final String PASSWORD = "correct horse battery staple";
  private static final Pattern REQUEST_LINK = Pattern.compile("href=\"(http://[^\"]+/request-access\\?[^\"]+)\"");

  /** A public-looking name the proxy's static names point at its own loopback (DNS rebinding). */
  private static final String REBIND = "rebind.schoolgate.test";
  static final MutableClock clock = new MutableClock(START);
  static Netns netns;
  static String ns;
  static String hostIp;
  static String pupil;
  static String desk;
  @TempDir static Path dir;
  static Schoolgate schoolgate;
  static String adminUrl;
  static String proxyUrl;

  @BeforeAll
  static void start() throws Exception {
    Netns.requireRootAndIp();
    netns = new Netns("fe2e");
    int r = 1 + new SecureRandom().nextInt(250);
    hostIp = "10.215." + r + ".1";
    pupil = "10.215." + r + ".2";
    desk = "10.215." + r + ".3";
    // JUnit runs stop() also when this fails half-way
    ns = netns.namespace("p", hostIp + "/24", pupil + "/24", desk + "/24");
    Path policy = SamplePolicy.extractTo(dir);
    String yaml = Files.readString(policy);
    String ks34 = "subnets: [10.20.0.0/16, 127.0.0.0/8";
    assertThat(yaml).contains(ks34);
    Files.writeString(policy, yaml.replace(ks34, "subnets: [10.20.0.0/16, " + pupil + "/32, 127.0.0.0/8"));
    RuntimeConfig config = new RuntimeConfig(
        RuntimeConfig.ProxySettings.defaults(new InetSocketAddress(hostIp, 0)),
        // plain HTTP beyond loopback, as behind the school's TLS front; public URL from the bound address
        new RuntimeConfig.AdminSettings(new InetSocketAddress(hostIp, 0), null, null, true),
        policy, dir.resolve("logs"), new RuntimeConfig.DnsSettings(List.of(),
            Map.of(REBIND, InetAddress.getByName("127.0.0.1"))),
        DatabaseConfig.sqlite(dir), RuntimeConfig.DEFAULT_MAX_UNBLOCK);
    schoolgate = Schoolgate.start(config, clock);
    adminUrl = "http://" + hostIp + ":" + schoolgate.admin().port();
    proxyUrl = "http://" + hostIp + ":" + schoolgate.proxy().address().getPort();
    Actor setup = new Actor(null, "test-setup", null);
    for (String name : List.of("dsl.one", "dsl.two")) {
      schoolgate.store().accounts().create(name, "DSL " + name, PASSWORD.toCharArray(), EnumSet.of(Role.TEACHER),
          setup);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (schoolgate != null) {
        schoolgate.close();
        schoolgate = null;
      }
    } finally {
      if (netns != null) {
        netns.close();
        netns = null;
      }
    }
  }

  @Test
  void theBlockPagesRequestAccessLinkOpensThroughTheProxyForAPupil() throws Exception {
    Netns.Result blocked = viaProxy(pupil, "http://www.bet365.com/games");
    assertThat(status(blocked)).as(blocked.out()).isEqualTo(403);
    Matcher link = REQUEST_LINK.matcher(blocked.out());
    assertThat(link.find()).as("the block page links to the request-access page: " + blocked.out()).isTrue();
    String requestAccess = link.group(1).replace("&amp;", "&");
    assertThat(requestAccess).startsWith(adminUrl + "/request-access?url=");

    // it leads to the console's request form, which asks an anonymous visitor to sign in first
    Netns.Result page = curl(pupil, List.of("-x", proxyUrl, "-L"), requestAccess, null, List.of());

    assertThat(status(page)).as(page.out()).isEqualTo(200);
    assertThat(page.out()).contains("action=\"/sign-in\"").contains("requests/new");
  }

  @Test
  void wrongPasswordsThroughTheProxyNameThePupilAndLockOutOnlyThePupil() throws Exception {
    String signIn = adminUrl + "/api/v1/login";
    for (int i = 1; i <= 5; i++) {
      Netns.Result wrong = viaProxy(pupil, signIn, login("dsl.one", "guess " + i));
      assertThat(status(wrong)).as("guess " + i + ": " + wrong.out()).isEqualTo(401);
    }
    Netns.Result locked = viaProxy(pupil, signIn, login("dsl.one", PASSWORD));

    Netns.Result ownerDirect = direct(desk, signIn, login("dsl.one", PASSWORD));
    Netns.Result ownerViaProxy = viaProxy(desk, signIn, login("dsl.one", PASSWORD));

    assertThat(status(locked)).as(locked.out()).isEqualTo(429);
    assertThat(locked.out()).contains("locked_out");
    assertThat(status(ownerDirect)).as(ownerDirect.out()).isEqualTo(200);
    assertThat(status(ownerViaProxy)).as(ownerViaProxy.out()).isEqualTo(200);
    List<AuditRecord> records = logins("dsl.one");
    assertThat(records).extracting(AuditRecord::type).containsExactly("login.failed", "login.failed",
        "login.failed", "login.failed", "login.failed", "login.failed", "login", "login");
    assertThat(records.subList(0, 6)).extracting(AuditRecord::address).containsOnly(pupil);
    assertThat(records.get(5).reason()).startsWith("locked out from " + pupil + " until");
    assertThat(records.subList(6, 8)).extracting(AuditRecord::address).containsOnly(desk);
    assertThat(records).extracting(AuditRecord::address).doesNotContain(hostIp, "127.0.0.1");
  }

  @Test
  void aPupilCannotForgeForwardedOrTheProxyKeyThroughTheProxyOrStraightToTheAdminApi() throws Exception {
    String signIn = adminUrl + "/api/v1/login";
    double wrongKeyBefore = ignored("wrong-proxy-key");
    double untrustedBefore = ignored("untrusted-peer");
    List<String> forged = List.of("-H", "Forwarded: for=\"" + desk + "\"", "-H", "X-Forwarded-For: " + desk,
        "-H", "X-Real-IP: " + desk, "-H", "X-Schoolgate-Proxy-Key: " + "Zm9yZ2VkLWtleS1mb3JnZWQta2V5LWZvcmdlZC1rZXkx");
    for (int i = 1; i <= 5; i++) {
      Netns.Result wrong = viaProxy(pupil, signIn, login("dsl.two", "guess " + i), forged);
      assertThat(status(wrong)).as("guess " + i + ": " + wrong.out()).isEqualTo(401);
    }
    assertThat(ignored("wrong-proxy-key")).as("the proxy replaced the forged key with its own")
        .isEqualTo(wrongKeyBefore);

    Netns.Result directWithForgedKey = direct(pupil, signIn, login("dsl.two", PASSWORD), forged);
    Netns.Result directWithForwarded = direct(pupil, signIn, login("dsl.two", PASSWORD),
        List.of("-H", "Forwarded: for=\"" + desk + "\"", "-H", "X-Forwarded-For: " + desk));
    Netns.Result owner = direct(desk, signIn, login("dsl.two", PASSWORD));

    assertThat(status(directWithForgedKey)).as("still the pupil, still locked: " + directWithForgedKey.out())
        .isEqualTo(429);
    assertThat(status(directWithForwarded)).as(directWithForwarded.out()).isEqualTo(429);
    assertThat(status(owner)).as(owner.out()).isEqualTo(200);
    List<AuditRecord> records = logins("dsl.two");
    assertThat(records).extracting(AuditRecord::type).containsExactly("login.failed", "login.failed",
        "login.failed", "login.failed", "login.failed", "login.failed", "login");
    assertThat(records.subList(0, 6)).extracting(AuditRecord::address).containsOnly(pupil);
    assertThat(records.get(6).address()).isEqualTo(desk);
    assertThat(ignored("wrong-proxy-key")).isEqualTo(wrongKeyBefore + 1);
    assertThat(ignored("untrusted-peer")).isEqualTo(untrustedBefore + 1);
  }

  @Test
  void refusedDestinationsRaiseOneCircumventionAlertForTechniciansPerWindow() throws Exception {
    int proxyPort = schoolgate.proxy().address().getPort();
    List<String> refused = List.of("http://" + hostIp + ":22/", "http://localhost:" + proxyPort + "/",
        "http://" + REBIND + ":" + proxyPort + "/metrics", "http://10.1.2.3/");
    for (String url : refused) {
      Netns.Result r = viaProxy(pupil, url);
      assertThat(status(r)).as(url + ": " + r.out()).isEqualTo(403);
      assertThat(r.out()).as(url).contains("internal-destination");
      clock.advance(Duration.ofSeconds(40));
    }
    Netns.Result tunnel = curl(pupil, List.of("-x", proxyUrl, "-p"), "https://169.254.169.254/", null,
        List.of("-w", "\n%{http_connect}"));
    assertThat(status(tunnel)).as(tunnel.out()).isEqualTo(403);
    marker(1);
    assertThat(circumvention()).singleElement().satisfies(a -> {
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.TECHNICIANS);
      assertThat(a.content().subject()).contains(hostIp);
    });

    clock.advance(Duration.ofMinutes(11)); // the circumvention window (10 minutes) is over
    assertThat(status(viaProxy(pupil, "http://10.1.2.4/"))).isEqualTo(403);
    marker(2);
    assertThat(circumvention()).hasSize(2);
  }

  /**
   * An illegal-category attempt by the pupil, whose alert is raised at once: the engine is first in,
   * first out, so once the {@code n}th marker's alert is in, everything before it was evaluated.
   */
  private static void marker(int n) throws Exception {
    clock.advance(Duration.ofMinutes(1));
    assertThat(status(viaProxy(pupil, "http://child-grooming.schoolgate.test/" + n))).isEqualTo(403);
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(alerts())
        .filteredOn(a -> a.content().kind().equals("illegal-category")).hasSize(n));
  }

  private static List<Alert> circumvention() {
    return alerts().stream().filter(a -> a.content().kind().equals("circumvention")).toList();
  }

  /** The pupil's alerts in the outbox, oldest first. */
  private static List<Alert> alerts() {
    return schoolgate.store().alerts().list(new AlertStore.Query(null, false, 1000)).stream()
        .filter(a -> a.content().who().contains(pupil))
        .sorted(java.util.Comparator.comparing(Alert::raisedAt)).toList();
  }

  /** curl from {@code source} in the namespace through the proxy; output ends with the status code. */
  private static Netns.Result viaProxy(String source, String url, String... data) throws Exception {
    return viaProxy(source, url, data.length == 0 ? null : data[0], List.of());
  }

  private static Netns.Result viaProxy(String source, String url, String json, List<String> headers)
      throws Exception {
    return curl(source, List.of("-x", proxyUrl), url, json, headers);
  }

  /** curl from {@code source} in the namespace straight to the admin API, no proxy. */
  private static Netns.Result direct(String source, String url, String json) throws Exception {
    return direct(source, url, json, List.of());
  }

  private static Netns.Result direct(String source, String url, String json, List<String> headers)
      throws Exception {
    return curl(source, List.of("--noproxy", "*"), url, json, headers);
  }

  private static Netns.Result curl(String source, List<String> how, String url, String json, List<String> headers)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--interface", source,
        "-w", "\n%{http_code}"));
    command.addAll(how);
    command.addAll(headers);
    if (json != null) {
      command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
    }
    command.add(url);
    return Netns.exec(ns, command);
  }

  private static int status(Netns.Result result) {
    String[] lines = result.out().strip().split("\n");
    return Integer.parseInt(lines[lines.length - 1].strip());
  }

  private static String login(String username, String password) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
  }

  private static List<AuditRecord> logins(String account) {
    return schoolgate.store().audit().query(new AuditTrail.Query(null, null, null, "login", 0, 1000)).stream()
        .filter(r -> r.target().equals("account:" + account)).toList();
  }

  /** {@code schoolgate.admin.forwarding.ignored{reason}} as the admin API's public /metrics says it. */
  private static double ignored(String reason) throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(adminUrl + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    String prefix = "schoolgate_admin_forwarding_ignored_total{reason=\"" + reason + "\"";
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + prefix + " in /metrics:\n" + metrics.body());
  }
}
