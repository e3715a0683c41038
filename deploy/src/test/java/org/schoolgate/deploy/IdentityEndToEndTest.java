package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.identity.radius.RadiusClient;
import org.schoolgate.identity.radius.RadiusSettings;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.tinyradius.packet.AccountingRequest;

/**
 * The whole Schoolgate with identity on: a Wi-Fi controller's Accounting-Start (a real TinyRadius
 * client over UDP) and a logon script's session (the real admin API) bind addresses; after a
 * restart on the same database (SQLite, then PostgreSQL) both are still known, and a session
 * ended before the restart stays ended.
 */
class IdentityEndToEndTest {
  private static final String SECRET = "controller-secret-42";
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static EmbeddedPostgres postgres;

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private Schoolgate schoolgate;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void radiusAndLogonSessionsBindAddressesAndSurviveARestart(String vendor) throws Exception {
    RuntimeConfig config = config(vendor);
    schoolgate = Schoolgate.start(config, clock);
    schoolgate.store().accounts().create("logon-script", "Logon script", "a-long-script-password".toCharArray(),
        EnumSet.of(Role.IDENTITY_SOURCE), new Actor(null, "test-setup", null));

    org.tinyradius.util.RadiusClient nas = new org.tinyradius.util.RadiusClient("127.0.0.1", SECRET);
    nas.setAcctPort(schoolgate.radius().address().getPort());
    try {
      AccountingRequest start = new AccountingRequest("alice@school.example",
          AccountingRequest.ACCT_STATUS_TYPE_START);
      start.addAttribute("Framed-IP-Address", "10.0.0.5");
      nas.account(start);
    } finally {
      nas.close();
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(find("10.0.0.5")).isNotNull());
    assertThat(find("10.0.0.5").method()).isEqualTo(AuthMethod.RADIUS);
    assertThat(find("10.0.0.5").user()).isEqualTo("alice");

    SchoolgateClient api = new SchoolgateClient(schoolgate);
    String script = api.login("logon-script", "a-long-script-password");
    api.call("POST", "/api/v1/identity/sessions", script,
        Map.of("user", "SCHOOL\\Bob", "address", "10.0.0.6", "minutes", 600), 201);
    api.call("POST", "/api/v1/identity/sessions", script, Map.of("user", "carol", "address", "10.0.0.7"), 201);
    api.call("DELETE", "/api/v1/identity/sessions?address=10.0.0.7&user=carol", script, null, 200);
    assertThat(find("10.0.0.6").user()).isEqualTo("bob");
    assertThat(find("10.0.0.7")).isNull();

    schoolgate.close(); // writes what the bindings thread still holds
    schoolgate = Schoolgate.start(config, clock);

    assertThat(find("10.0.0.5").user()).isEqualTo("alice");
    assertThat(find("10.0.0.6").user()).isEqualTo("bob");
    assertThat(find("10.0.0.6").method()).isEqualTo(AuthMethod.SESSION);
    assertThat(find("10.0.0.7")).as("ended before the restart, ended after it").isNull();
    clock.advance(Duration.ofHours(10));
    assertThat(find("10.0.0.6")).as("the 600-minute session ran out").isNull();
  }

  private AddressBinding find(String address) throws Exception {
    return schoolgate.bindings().find(InetAddress.getByName(address), clock.instant());
  }

  private RuntimeConfig config(String vendor) throws Exception {
    Path policy = SamplePolicy.extractTo(dataDir);
    Path secret = dataDir.resolve("radius-wlc.secret");
    Files.writeString(secret, SECRET + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    UserNameRule names = new UserNameRule(Set.of("SCHOOL", "school.example"), true);
    IdentitySettings identity = new IdentitySettings(
        new SessionSettings(names, Duration.ofHours(10), Duration.ofDays(1), List.of(Subnet.parse("127.0.0.0/8")),
            Duration.ofMinutes(15)),
        new RadiusSettings(new InetSocketAddress("127.0.0.1", 0),
            List.of(new RadiusClient("wlc", Subnet.parse("127.0.0.1/32"), Files.readString(secret).strip())),
            names, Duration.ofHours(8), Duration.ofSeconds(30)),
        Duration.ofMillis(200));
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    DatabaseConfig database = "sqlite".equals(vendor) ? embedded.database()
        : new DatabaseConfig(freshPostgresDatabase(), "postgres", null);
    return new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(), embedded.dns(),
        database, embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null, identity)
        .withProxyPort(0).withAdminPort(0);
  }

  private static String freshPostgresDatabase() throws Exception {
    String name = "identity_" + System.nanoTime();
    try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }
}
