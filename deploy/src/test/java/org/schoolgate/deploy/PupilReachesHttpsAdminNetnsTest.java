package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.tls.AdminTls;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.policy.testing.Netns;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;

/**
 * The admin API on HTTPS ({@code admin.public-url: https://filter.schoolgate.test:PORT}, its
 * certificate from the school CA, {@code admin.tls.school-ca}), reached by a pupil in a network
 * namespace through the wired {@link Schoolgate}'s proxy. A browser sends an https URL through a
 * proxy as a CONNECT tunnel, which cannot carry {@code Forwarded}; so for a group whose devices
 * trust the school CA (interception not off: here ks3-4, with {@code search}) the proxy decrypts
 * its tunnels to the admin origin, and each request inside gets {@code Forwarded: for=<pupil>}
 * and the proxy's key like a plain HTTP one.
 *
 * <ul>
 *   <li>the request-access page opens over HTTPS through the proxy (port 8000+ is not in the
 *       sample's {@code tunnels.allowed-ports}: the admin origin is exempt);
 *   <li>wrong passwords sent over HTTPS through the proxy are audited under the pupil's address and
 *       lock out only the pupil; the owner at her desk signs in directly;
 *   <li>a device of a group with interception off (ks2 here) gets its tunnel untouched, and the
 *       admin API sees the proxy host's address: what docs/admin-api.md tells schools to avoid with a
 *       proxy exception for the admin host.
 * </ul>
 */
class PupilReachesHttpsAdminNetnsTest {
  private static final String ADMIN_HOST = "filter.schoolgate.test";
  private static final String PASSWORD = "correct horse battery staple";

  static Netns netns;
  static String ns;
  static String hostIp;
  static String pupil;
  static String desk;
  static String guest;
  @TempDir static Path dir;
  static Schoolgate schoolgate;
  static String adminUrl;
  static String proxyUrl;
  static int adminPort;
  static Path caPem;

  @BeforeAll
  static void start() throws Exception {
    Netns.requireRootAndIp();
    netns = new Netns("fe2e");
    int r = 1 + new SecureRandom().nextInt(250);
    hostIp = "10.216." + r + ".1";
    pupil = "10.216." + r + ".2";
    desk = "10.216." + r + ".3";
    guest = "10.216." + r + ".4";
    // JUnit runs stop() also when this fails half-way
    ns = netns.namespace("s", hostIp + "/24", pupil + "/24", desk + "/24", guest + "/24");
    // certificates are checked by curl against the real time: the clock starts now
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
    assertThat(CaCommand.run(List.of("init", "--name", "Netns Test School", "--data-dir", dir.toString()), quiet,
        quiet, clock)).isZero();
    caPem = CaCommand.certificateFile(dir);
    Path policy = SamplePolicy.extractTo(dir);
    String yaml = Files.readString(policy);
    String ks34 = "subnets: [10.20.0.0/16, 127.0.0.0/8";
    String interception = "  groups: { default: off }\n";
    assertThat(yaml).contains(ks34).contains(interception);
    Files.writeString(policy, yaml.replace(ks34, "subnets: [10.20.0.0/16, " + pupil + "/32, 127.0.0.0/8")
        .replace(interception, "  groups: { default: off, ks3-4: search }\n"));
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(hostIp))) {
      adminPort = free.getLocalPort();
    }
    adminUrl = "https://" + ADMIN_HOST + ":" + adminPort;
    RuntimeConfig.AdminSettings admin = new RuntimeConfig.AdminSettings(new InetSocketAddress(hostIp, adminPort),
        URI.create(adminUrl), new RuntimeConfig.AdminTlsSettings(null, null, null, true, null, AdminTls.DEFAULT_HSTS),
        false, List.of());
    RuntimeConfig config = new RuntimeConfig(
        RuntimeConfig.ProxySettings.defaults(new InetSocketAddress(hostIp, 0)), admin, policy, dir.resolve("logs"),
        new RuntimeConfig.DnsSettings(List.of(), Map.of(ADMIN_HOST, InetAddress.getByName(hostIp))),
        DatabaseConfig.sqlite(dir), RuntimeConfig.DEFAULT_MAX_UNBLOCK, SafeguardingSettings.DEFAULTS,
        CaSettings.inDataDir(dir));
    schoolgate = Schoolgate.start(config, clock);
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
  void theRequestAccessPageOpensOverHttpsThroughTheProxyForAPupil() throws Exception {
    // the request-access link leads to the console's request form, which asks an anonymous visitor to sign in
    Netns.Result page = curl(pupil, List.of("-x", proxyUrl, "-L"), adminUrl
        + "/request-access?url=http%3A%2F%2Fwww.bet365.com%2F&category=gambling&group=ks3-4", null);

    assertThat(status(page)).as(page.out()).isEqualTo(200);
    assertThat(page.out()).contains("action=\"/sign-in\"").contains("requests/new");
  }

  @Test
  void wrongPasswordsOverHttpsThroughTheProxyNameThePupilAndLockOutOnlyThePupil() throws Exception {
    String signIn = adminUrl + "/api/v1/login";
    for (int i = 1; i <= 5; i++) {
      Netns.Result wrong = viaProxy(pupil, signIn, login("dsl.one", "guess " + i));
      assertThat(status(wrong)).as("guess " + i + ": " + wrong.out()).isEqualTo(401);
    }
    Netns.Result locked = viaProxy(pupil, signIn, login("dsl.one", PASSWORD));
    Netns.Result owner = direct(desk, signIn, login("dsl.one", PASSWORD));

    assertThat(status(locked)).as(locked.out()).isEqualTo(429);
    assertThat(status(owner)).as(owner.out()).isEqualTo(200);
    List<AuditRecord> records = logins("dsl.one");
    assertThat(records).extracting(AuditRecord::type).containsExactly("login.failed", "login.failed",
        "login.failed", "login.failed", "login.failed", "login.failed", "login");
    assertThat(records.subList(0, 6)).extracting(AuditRecord::address).containsOnly(pupil);
    assertThat(records.get(6).address()).isEqualTo(desk);
  }

  @Test
  void aGroupWithInterceptionOffGetsItsTunnelUntouchedAndTheAdminApiSeesTheProxyHost() throws Exception {
    Netns.Result signedIn = viaProxy(guest, adminUrl + "/api/v1/login", login("dsl.two", PASSWORD));

    assertThat(status(signedIn)).as(signedIn.out()).isEqualTo(200);
    assertThat(logins("dsl.two")).extracting(AuditRecord::address).containsExactly(hostIp);
  }

  /** curl from {@code source} through the proxy, trusting the school CA; output ends with the status. */
  private static Netns.Result viaProxy(String source, String url, String json) throws Exception {
    return curl(source, List.of("-x", proxyUrl), url, json);
  }

  /** curl from {@code source} straight to the admin API (its name resolved by curl), no proxy. */
  private static Netns.Result direct(String source, String url, String json) throws Exception {
    return curl(source, List.of("--noproxy", "*", "--resolve", ADMIN_HOST + ":" + adminPort + ":" + hostIp), url,
        json);
  }

  private static Netns.Result curl(String source, List<String> how, String url, String json) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--interface", source,
        "--cacert", caPem.toString(), "-w", "\n%{http_code}"));
    command.addAll(how);
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
}
