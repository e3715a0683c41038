package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.alerts.delivery.WebhookSettings;
import org.schoolgate.proxy.transport.TransportChoice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void theProxysLimitsTimeoutsPoolAndTransportAreRead() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, """
        proxy:
          head-timeout: 5s
          max-connections: 5000
          max-connections-per-client: 50
          upstream-idle-timeout: 20s
          max-idle-per-origin: 4
          drain-timeout: 3s
          native-transport: false
          transparent: false
        policy: p.yaml
        """);

    org.schoolgate.proxy.ProxyConfig.Connections c = RuntimeConfigLoader.load(file).proxy().connections();

    assertThat(c).isEqualTo(new org.schoolgate.proxy.ProxyConfig.Connections(Duration.ofSeconds(5),
        5000, 50, Duration.ofSeconds(20), 4, Duration.ofSeconds(3), TransportChoice.NIO, false));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "|AUTO", "transport: auto|AUTO", "transport: epoll|EPOLL", "transport: io_uring|IO_URING",
    "transport: nio|NIO", "native-transport: true|AUTO", "native-transport: false|NIO"})
  void theTransportIsReadFromTransportOrTheOlderNativeTransportFlag(String line,
      TransportChoice expected) throws Exception {
    String proxy = line == null ? "" : "proxy:\n  " + line + "\n";

    assertThat(load(proxy + "policy: p.yaml\n").proxy().connections().transport())
        .isEqualTo(expected);
  }

  @Test
  void transportAndTheOlderFlagTogetherAreRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("schoolgate.yaml"),
        "proxy:\n  transport: io_uring\n  native-transport: true\npolicy: p.yaml\n");

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: proxy.native-transport: is the older spelling of transport, which is also"
                + " set (expected: transport only; native-transport: false is transport: nio)"));
  }

  @Test
  void nioCannotServeTransparentListeners() throws Exception {
    Path file = Files.writeString(dir.resolve("schoolgate.yaml"), "proxy:\n  transport: nio\n"
        + "  transparent: { http: 3129, mode: redirect }\npolicy: p.yaml\n");

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":2: proxy.transport: Java NIO cannot serve the transparent listeners (tproxy"
                + " needs IP_TRANSPARENT, redirect reads SO_ORIGINAL_DST from the socket)"
                + " (expected: transport auto, epoll or io_uring, or transparent: false)"));
  }

  @Test
  void contentAnalysisThreadsAndQueuesAreReadWithTodaysValuesAsDefaults() throws Exception {
    assertThat(load("policy: p.yaml\n").proxy().contentAnalysis())
        .isEqualTo(org.schoolgate.proxy.content.AnalysisSettings.DEFAULTS)
        .isEqualTo(new org.schoolgate.proxy.content.AnalysisSettings(0, 4096, 64 * 1024, 256, 8));

    RuntimeConfig given = load("""
        proxy:
          content-analysis:
            threads: 3
            queue: 64
            move-after: 1MiB
            busy-loop-tasks: 32
            pause-after-pieces: 2
        policy: p.yaml
        """);

    assertThat(given.proxy().contentAnalysis())
        .isEqualTo(new org.schoolgate.proxy.content.AnalysisSettings(3, 64, 1024 * 1024, 32, 2));
    assertThat(load("proxy: { content-analysis: { move-after: 100 } }\npolicy: p.yaml\n").proxy()
        .contentAnalysis().moveAfterBytes()).isEqualTo(100);
  }

  @Test
  void contentAnalysisMistakesNameTheLineAndField() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        proxy:
          content-analysis:
            threads: -1
            queue: 8
            move-after: 1GiB
            busy-loop-tasks: many
            pause-after-pieces: 0
            speed: fast
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
            file + ":9: proxy.content-analysis.speed: unknown key (expected one of: busy-loop-tasks, move-after,"
                + " pause-after-pieces, queue, threads)",
            file + ":4: proxy.content-analysis.threads: is '-1' (expected: 0 for one per two event loops, or a whole"
                + " number from 0 to 256, such as 0)",
            file + ":5: proxy.content-analysis.queue: is '8' (expected: pieces per thread, a whole number from 16 to"
                + " 1048576, such as 4096)",
            file + ":6: proxy.content-analysis.move-after: is '1GiB' (expected: a size from 1 byte to 64MiB, such as"
                + " 64KiB)",
            file + ":7: proxy.content-analysis.busy-loop-tasks: is 'many' (expected: tasks, a whole number from 1 to"
                + " 1000000, such as 256)",
            file + ":8: proxy.content-analysis.pause-after-pieces: is '0' (expected: pieces, a whole number from 1 to"
                + " 4096, such as 8)"));
  }

  @Test
  void theShippedSampleLoadsWithPathsRelativeToItsDirectory() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    try (InputStream in = getClass().getResourceAsStream("schoolgate.sample.yaml")) {
      Files.copy(in, file);
    }

    RuntimeConfig config = RuntimeConfigLoader.load(file);

    assertThat(config.proxy().listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 3128));
    assertThat(config.proxy().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.proxy().idleTimeout()).isEqualTo(Duration.ofSeconds(70));
    assertThat(config.proxy().maxRequestLineBytes()).isEqualTo(8192);
    assertThat(config.admin().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(config.admin().effectivePublicUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(config.policy()).isEqualTo(dir.resolve("policy.yaml"));
    assertThat(config.accessLogDir()).isEqualTo(dir.resolve("logs"));
    assertThat(config.dns().servers()).isEmpty();
    assertThat(config.dns().staticHosts()).isEmpty();
    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
    assertThat(config.dns().filter().config().listen()).containsExactly(new InetSocketAddress("127.0.0.1", 8053));
    assertThat(config.dns().filter().config().blockAnswer()).isEqualTo(org.schoolgate.resolver.BlockAnswer.NXDOMAIN);
    assertThat(config.dns().filter().required()).isTrue();
  }

  @Test
  void theDocumentedExampleLoadsAsShippedWithNothingThatNeedsAServerOfItsOwn() throws Exception {
    RuntimeConfig config = RuntimeConfigLoader.load(Path.of("schoolgate.example.yaml"));

    assertThat(config.policy()).isEqualTo(Path.of("/etc/schoolgate/policy.yaml"));
    assertThat(config.accessLogDir()).isEqualTo(Path.of("/var/log/schoolgate"));
    assertThat(config.dns().servers()).as("the system's resolvers").isEmpty();
    assertThat(config.dns().staticHosts())
        .isEqualTo(Map.of("intranet.school.example", InetAddress.getByName("10.0.0.5")));
    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/schoolgate/schoolgate.db");
    assertThat(config.maxUnblock()).isEqualTo(Duration.ofDays(14));
    assertThat(config.safeguarding().delivery()).as("no mail server until the school names one").isNull();
    assertThat(config.safeguarding().digest()).isNull();
    assertThat(config.safeguarding().incidentJoinWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(config.safeguarding().escalateAfter()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.interception()).as("no CA until 'ca init' made one").isNull();
  }

  @Test
  void everySectionTheExampleSaysHowToTurnOnLoadsOnceTurnedOn() throws Exception {
    Path password = Files.writeString(dir.resolve("db.password"), "s3cret\n");
    Path file = ExampleConfig.shipped().uncomment("servers: [10.0.0.2, \"10.0.0.3:53\"]").withPostgres(password)
        .uncomment("alerts:").uncomment("digest:").uncomment("interception:").writeTo(dir.resolve("schoolgate.yaml"));

    RuntimeConfig config = RuntimeConfigLoader.load(file);

    assertThat(config.dns().servers()).containsExactly(
        new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("10.0.0.3", 53));
    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.school.example/schoolgate");
    assertThat(config.database().user()).isEqualTo("schoolgate");
    assertThat(config.database().password()).isEqualTo("s3cret");
    SafeguardingSettings safeguarding = config.safeguarding();
    assertThat(safeguarding.delivery().smtp().host()).isEqualTo("smtp.office365.com");
    assertThat(safeguarding.delivery().smtp().security()).isEqualTo(SmtpSettings.Security.STARTTLS_REQUIRED);
    assertThat(safeguarding.delivery().smtp().passwordFile()).isEqualTo(Path.of("/etc/schoolgate/smtp.password"));
    assertThat(safeguarding.delivery().webhooks()).singleElement()
        .satisfies(w -> assertThat(w.format()).isEqualTo(WebhookSettings.Format.TEAMS));
    assertThat(safeguarding.delivery().routes()).hasSize(4);
    assertThat(safeguarding.delivery().routes().get(2).match().kind()).isEqualTo("escalation-1");
    assertThat(safeguarding.delivery().groupWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(safeguarding.delivery().giveUpAfter()).isEqualTo(Duration.ofDays(3));
    assertThat(safeguarding.digest()).isEqualTo(new SafeguardingSettings.Digest(List.of("dsl@school.example"),
        java.time.DayOfWeek.MONDAY, java.time.LocalTime.of(7, 0)));
    assertThat(config.interception().certificate()).isEqualTo(Path.of("/var/lib/schoolgate/ca/schoolgate-ca.pem"));
    assertThat(config.interception().leafValidity()).isEqualTo(Duration.ofDays(7));
    assertThat(config.identity().sessions().userNames().normalise("SCHOOL\\Alice")).isEqualTo("alice");
    assertThat(config.identity().sessions().reporters()).extracting(Object::toString).containsExactly("10.0.0.10/32");
    assertThat(config.identity().radius()).isNull();
    assertThat(config.admin().tls()).isNull();
    org.schoolgate.resolver.DnsFilterConfig dns = config.dns().filter().config();
    assertThat(dns.listen()).containsExactly(new InetSocketAddress("0.0.0.0", 53));
    assertThat(dns.upstreams()).containsExactly(new InetSocketAddress("10.0.0.2", 53),
        new InetSocketAddress("10.0.0.3", 53));
    assertThat(dns.rateLimit()).isEqualTo(new org.schoolgate.resolver.DnsFilterConfig.RateLimit(100, 400));
    assertThat(dns.maxTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(dns.blockTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theDnsFilterRunsOnTheEmbeddedDefaultAndWhereTheSectionIsGiven() throws Exception {
    RuntimeConfig embedded = RuntimeConfig.embedded(dir, dir.resolve("policy.yaml"));
    assertThat(embedded.dns().filter().config().listen()).containsExactly(new InetSocketAddress("127.0.0.1", 8053));
    assertThat(embedded.dns().filter().required()).as("a busy 8053 only warns on the embedded default").isFalse();
    assertThat(embedded.withDnsFilterPort(5353).dns().filter().config().listen())
        .containsExactly(new InetSocketAddress("127.0.0.1", 5353));

    assertThat(load("policy: p.yaml\n").dns().filter()).isNull();
    assertThat(load("policy: p.yaml\ndns-filter: { enabled: false, listen: [0.0.0.0:53] }\n").dns().filter()).isNull();
    RuntimeConfig given = load("""
        policy: p.yaml
        dns-filter:
          listen: [0.0.0.0:53, '[::]:53']
          upstreams: [10.0.0.2, '10.0.0.3:5353']
          block-answer: address 10.0.0.5 fd00::5
          cache-size: 0
          rate-limit: { per-second: 0 }
          min-ttl: 0s
          max-ttl: 1h
          block-ttl: 30s
          query-timeout: 500ms
        """);
    org.schoolgate.resolver.DnsFilterConfig c = given.dns().filter().config();
    assertThat(c.listen()).containsExactly(new InetSocketAddress("0.0.0.0", 53), new InetSocketAddress("::", 53));
    assertThat(c.upstreams()).containsExactly(new InetSocketAddress("10.0.0.2", 53),
        new InetSocketAddress("10.0.0.3", 5353));
    assertThat(c.blockAnswer().text()).isEqualTo("address 10.0.0.5 fd00:0:0:0:0:0:0:5");
    assertThat(c.cacheSize()).isZero();
    assertThat(c.rateLimit().enabled()).isFalse();
    assertThat(c.maxTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.queryTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(given.dns().filter().required()).isTrue();
  }

  @Test
  void dnsFilterMistakesNameTheLineAndField() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        dns-filter:
          listen: [0.0.0.0]
          upstreams: 10.0.0.2
          block-answer: refuse
          cache-size: lots
          rate-limit: { per-second: 10, burst: 0 }
          max-ttl: forever
          colour: blue
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
            file + ":9: dns-filter.colour: unknown key (expected one of: block-answer, block-ttl, cache-size, enabled,"
                + " listen, max-ttl, min-ttl, query-timeout, rate-limit, upstreams)",
            file + ":3: dns-filter.listen[0]: '0.0.0.0' has no port (expected: IP:PORT such as 0.0.0.0:3128,"
                + " 127.0.0.1:8080 or [::1]:8080)",
            file + ":4: dns-filter.upstreams: is not a list (expected: [IP or IP:PORT, ...] such as"
                + " [10.0.0.2, 10.0.0.3])",
            file + ":5: dns-filter.block-answer: 'refuse' is not a block answer (expected: nxdomain, or address"
                + " followed by an IPv4 and/or an IPv6 address of the block-page listener, such as 'address 10.0.0.5'"
                + " or 'address 10.0.0.5 fd00::5')",
            file + ":6: dns-filter.cache-size: 'lots' is not a whole number (expected: 0..10000000)",
            file + ":7: dns-filter.rate-limit.burst: 0 (expected: 1..10000000)",
            file + ":8: dns-filter.max-ttl: 'forever' is not a duration (expected: a number and a unit such as"
                + " 500ms, 10s, 2m, 1h, 14d)"));
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        dns-filter:
          listen: [127.0.0.1:53]
          upstreams: [127.0.0.1]
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
            file + ":4: dns-filter.upstreams: 127.0.0.1:53 is this resolver itself (listen 127.0.0.1:53), which"
                + " would forward queries in a circle (expected: the school's DNS servers, such as the domain"
                + " controllers, or the ISP's)"));
  }

  @Test
  void theEmbeddedDefaultUsesTheCaThatCaInitCreatedInTheDataDirectory() throws Exception {
    assertThat(RuntimeConfig.embedded(dir, dir.resolve("policy.yaml")).interception()).isNull();

    org.schoolgate.proxy.ca.SchoolCa.generate("Test School", java.time.Clock.systemUTC())
        .save(CaCommand.certificateFile(dir), CaCommand.keyFile(dir), false);

    CaSettings ca = RuntimeConfig.embedded(dir, dir.resolve("policy.yaml")).interception();
    assertThat(ca.certificate()).isEqualTo(dir.resolve("ca/schoolgate-ca.pem"));
    assertThat(ca.key()).isEqualTo(dir.resolve("ca/schoolgate-ca.key"));
  }

  @Test
  void withoutSafeguardingSectionsAlertsAreKeptAndNothingIsIntercepted() throws Exception {
    RuntimeConfig config = load("policy: p.yaml\n");

    assertThat(config.safeguarding()).isEqualTo(SafeguardingSettings.DEFAULTS);
    assertThat(config.safeguarding().delivery()).isNull();
    assertThat(config.interception()).isNull();
  }

  @Test
  void theDatabaseDefaultsToSqliteBesideTheConfigurationAndUnblocksToFourteenDays() throws Exception {
    RuntimeConfig config = load("policy: p.yaml\n");

    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
    assertThat(config.database().isPostgres()).isFalse();
    assertThat(config.maxUnblock()).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void aPostgresDatabaseReadsItsPasswordFromTheNamedFile() throws Exception {
    Files.writeString(dir.resolve("db.password"), "s3cret-pass\n");

    RuntimeConfig config = load("""
        policy: p.yaml
        database:
          url: jdbc:postgresql://db.school.example/schoolgate
          user: schoolgate
          password-file: db.password
        unblocks:
          max-length: 7d
        """);

    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.school.example/schoolgate");
    assertThat(config.database().user()).isEqualTo("schoolgate");
    assertThat(config.database().password()).isEqualTo("s3cret-pass");
    assertThat(config.database().toString()).doesNotContain("s3cret");
    assertThat(config.maxUnblock()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void eachNodeOnPostgresqlHasANameForTheAuditTrailTheHostNameUnlessGiven() throws Exception {
    String postgres = "policy: p.yaml\ndatabase:\n  url: jdbc:postgresql://db.school.example/schoolgate\n";

    assertThat(load("policy: p.yaml\n").database().node()).as("one node on SQLite: unnamed").isNull();
    assertThat(load(postgres).database().node()).isEqualTo(RuntimeConfigLoader.hostName()).isNotBlank();
    assertThat(load(postgres + "  node: proxy-b\n").database().node()).isEqualTo("proxy-b");
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load(postgres + "  node: proxy b!\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":4: database.node: node 'proxy b!' is not a node name (expected: 1 to 64 letters, digits,"
                + " dots, dashes or underscores, starting with a letter or digit, such as proxy-a or gate1.school)"));
  }

  @Test
  void aRelativeSqliteFileIsResolvedAgainstTheConfigurationDirectory() throws Exception {
    RuntimeConfig config = load("policy: p.yaml\ndatabase:\n  url: jdbc:sqlite:state/sg.db\n");

    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("state/sg.db"));
  }

  @Test
  void reportsKeepNinetyDaysUnlessTheSectionSaysOtherwise() throws Exception {
    assertThat(load("policy: p.yaml\n").reports()).isEqualTo(org.schoolgate.reports.ReportsSettings.DEFAULTS);
    RuntimeConfig config = load("""
        policy: p.yaml
        reports:
          retention-days: 30
          memory-limit-mb: 512
          threads: 1
          maintenance-every: 1h
        """);
    assertThat(config.reports()).isEqualTo(new org.schoolgate.reports.ReportsSettings(30, 512, 1,
        java.time.Duration.ofHours(1)));
    assertThat(RuntimeConfigLoader.load(Path.of("schoolgate.example.yaml")).reports().retentionDays()).isEqualTo(90);
  }

  @Test
  void theOidcSectionReadsTheSecretFromItsFileAndTakesTheCallbackFromThePublicUrl() throws Exception {
    Files.writeString(dir.resolve("oidc.secret"), "s3cret-from-the-provider\n");
    RuntimeConfig config = load("""
        policy: p.yaml
        admin:
          public-url: http://127.0.0.1:8080
        oidc:
          issuer: https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0
          client-id: 0f0f0f0f-aaaa-bbbb-cccc-000000000000
          client-secret-file: oidc.secret
          allowed-domains: [School.Example.org]
          groups: claim
          groups-claim: groups
          console-second-factor: provider
          timeout: 3s
        """);

    org.schoolgate.admin.oidc.OidcSettings oidc = config.oidc();
    assertThat(oidc.clientSecret()).isEqualTo("s3cret-from-the-provider");
    assertThat(oidc.allowedDomains()).containsExactly("school.example.org");
    assertThat(oidc.redirectUri()).hasToString("http://127.0.0.1:8080/oidc/callback");
    assertThat(oidc.consoleSecondFactor()).isEqualTo(org.schoolgate.admin.oidc.OidcSettings.SecondFactor.PROVIDER);
    assertThat(oidc.scopes()).containsExactly("openid", "profile", "email");
    assertThat(oidc.userClaim()).isEqualTo("preferred_username");
    assertThat(oidc.timeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(oidc.toString()).doesNotContain("s3cret");
    assertThat(load("policy: p.yaml\n").oidc()).isNull();
  }

  @Test
  void oidcMistakesNameTheLineAndField() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(dir.resolve("oidc.secret"), "s3cret");
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        oidc:
          issuer: http://idp.school.example/
          client-id: app
          client-secret-file: missing.secret
          groups: everyone
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":5: oidc.client-secret-file: cannot read " + dir.resolve("missing.secret") + ": "
                + dir.resolve("missing.secret") + " (expected: a file holding the client secret, readable by the"
                + " schoolgate user)",
            file + ":6: oidc.groups: is 'everyone' (expected: claim or directory or none)"));
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        oidc:
          issuer: http://idp.school.example/
          client-id: app
          client-secret-file: oidc.secret
          allowed-domains: [school.example]
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: oidc.issuer 'http://idp.school.example/' is plain http (expected: https; only a provider on"
                + " this machine, 127.0.0.1 or localhost, may use http)"));
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        oidc:
          issuer: https://accounts.google.com
          client-id: app
          client-secret-file: oidc.secret
          groups: directory
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: oidc.allowed-domains is empty (expected: the school's e-mail domains, e.g."
                + " [school.example.org]; without them any account the provider knows, any Google account, could sign"
                + " in)"));
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        oidc:
          issuer: https://accounts.google.com
          client-id: app
          client-secret-file: oidc.secret
          allowed-domains: [school.example]
          groups: directory
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: oidc.groups: is directory but there is no directory (expected: identity.directory with its"
                + " urls, bind-dn and user-base; or groups: claim or none)"));
  }

  @Test
  void reportsMistakesNameTheLineAndField() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        reports:
          retention-days: 7
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: reports.retention-days is 7 (expected: 14 to 3660 days; the digest compares two weeks,"
                + " default 90)"));
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        reports:
          threads: many
          keep: 3
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":4: reports.keep: unknown key (expected one of: maintenance-every, memory-limit-mb,"
                + " node-logs, retention-days, threads)",
            file + ":3: reports.threads: 'many' is not a whole number"));
  }

  @Test
  void databaseAndUnblockMistakesNameTheLineAndField() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("""
        policy: p.yaml
        database:
          url: jdbc:mysql://db/schoolgate
          password-file: missing.txt
        unblocks:
          max-length: 400d
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
            file + ":3: database.url: database url 'jdbc:mysql://db/schoolgate' is not supported"
                + " (expected: jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>)",
            file + ":4: database.password-file: cannot read " + dir.resolve("missing.txt") + ": "
                + dir.resolve("missing.txt")
                + " (expected: a file holding the database password, readable by the schoolgate user)"));
  }

  @Test
  void trustedProxiesInFrontOfTheAdminApiAreAddressesOrNetworks() throws Exception {
    RuntimeConfig config = load("policy: p.yaml\nadmin:\n  trusted-proxies: [10.0.0.5, 10.0.1.0/28, fd00::7]\n");

    assertThat(config.admin().trustedProxies()).extracting(Object::toString)
        .containsExactly("10.0.0.5/32", "10.0.1.0/28", "fd00::7/128");
    assertThat(load("policy: p.yaml\n").admin().trustedProxies()).as("default: nobody").isEmpty();
  }

  @Test
  void aTrustedProxyThatIsNotAnAddressNamesItsLineAndPlace() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("policy: p.yaml\nadmin:\n  trusted-proxies:\n    - 10.0.0.5\n    - proxy.school.example\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement().asString()
            .startsWith(file + ":5: admin.trusted-proxies[1]: ")
            .endsWith("(expected: an IP address or network such as 10.0.0.5 or 10.0.1.0/28)"));
    assertThatThrownBy(() -> load("policy: p.yaml\nadmin:\n  trusted-proxies: 10.0.0.5\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: admin.trusted-proxies: is not a list (expected: the addresses or networks of reverse"
                + " proxies in front of the admin API, such as [10.0.0.5] or [10.0.1.0/28]; leave it out when"
                + " there are none)"));
  }

  @Test
  void anUnblockCapOverAYearIsRefused() {
    Path file = dir.resolve("schoolgate.yaml");
    assertThatThrownBy(() -> load("policy: p.yaml\nunblocks:\n  max-length: 400d\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
            file + ":3: unblocks.max-length is PT9600H (expected: a positive duration of at most a year, such as 14d)"));
  }

  @Test
  void onlyPolicyIsRequiredAndTheRestDefaults() throws Exception {
    RuntimeConfig config = load("policy: p.yaml\n");

    assertThat(config.proxy().listen()).isEqualTo(RuntimeConfig.DEFAULT_PROXY_LISTEN);
    assertThat(config.admin().listen()).isEqualTo(RuntimeConfig.DEFAULT_ADMIN_LISTEN);
    assertThat(config.accessLogDir()).isEqualTo(dir.resolve("logs"));
  }

  @Test
  void portOverridesKeepTheAddressAndThePublicUrlFollowsTheAdminPort() throws Exception {
    RuntimeConfig config = load("proxy: { listen: '[::1]:3128' }\npolicy: p.yaml\n")
        .withProxyPort(13128).withAdminPort(18080);

    assertThat(config.proxy().listen()).isEqualTo(new InetSocketAddress("::1", 13128));
    assertThat(config.admin().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 18080));
    assertThat(config.admin().effectivePublicUrl()).isEqualTo("http://127.0.0.1:18080");
  }

  @Test
  void theEmbeddedDefaultListensOn3128And8080AndLogsInTheDataDirectory() {
    RuntimeConfig config = RuntimeConfig.embedded(dir, dir.resolve("policy.yaml"));

    assertThat(config.proxy().listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 3128));
    assertThat(config.admin().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(config.admin().effectivePublicUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(config.accessLogDir()).isEqualTo(dir.resolve("logs"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "proxy:\\n  listen: 0.0.0.0\\npolicy: p.yaml"
        + "|2: proxy.listen: '0.0.0.0' has no port (expected: IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080)",
    "proxy:\\n  listen: 0.0.0.0:99999\\npolicy: p.yaml"
        + "|2: proxy.listen: '0.0.0.0:99999' has a bad port '99999' (expected: 0-65535, as in IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080)",
    "admin:\\n  listen: school.example:8080\\npolicy: p.yaml"
        + "|2: admin.listen: 'school.example' is not an IP address (expected: an IPv4 or IPv6 address such as 10.0.0.2 or ::1)",
    "proxy:\\n  idle-timeout: soon\\npolicy: p.yaml"
        + "|2: proxy.idle-timeout: 'soon' is not a duration (expected: a number and a unit such as 500ms, 10s, 2m, 1h, 14d)",
    "proxy:\\n  connect-timeout: 0s\\npolicy: p.yaml"
        + "|2: proxy.connect-timeout is PT0S (expected: a positive duration such as 10s)",
    "proxy:\\n  max-request-line-bytes: 100\\npolicy: p.yaml"
        + "|2: proxy.max-request-line-bytes is 100 (expected: between 1024 and 1048576)",
    "proxy:\\n  max-connections: lots\\npolicy: p.yaml"
        + "|2: proxy.max-connections: 'lots' (expected: a whole number between 1 and 1000000)",
    "proxy:\\n  native-transport: yes\\npolicy: p.yaml"
        + "|2: proxy.native-transport: 'yes' (expected: true or false)",
    "proxy:\\n  transport: uring\\npolicy: p.yaml"
        + "|2: proxy.transport: 'uring' is not a transport (expected: auto, epoll, io_uring or nio)",
    "proxy:\\n  head-timeout: 0s\\npolicy: p.yaml"
        + "|2: proxy.head-timeout: is PT0S (expected: between PT0.1S and PT10M, such as 10s)",
    "proxy:\\n  max-connections: 10\\n  max-connections-per-client: 20\\npolicy: p.yaml"
        + "|3: proxy.max-connections-per-client: 20 is more than max-connections, 10 (expected: at most max-connections)",
    "admin:\\n  public-url: ftp://school.example/\\npolicy: p.yaml"
        + "|2: admin.public-url 'ftp://school.example/' is not an http(s) URL (expected: the address browsers"
        + " reach the admin API at, such as http://filter.school.example:8080)",
    "dns:\\n  static:\\n    intranet.example: 10.0.0.300\\npolicy: p.yaml"
        + "|3: dns.static.intranet.example: '10.0.0.300' is not an IP address (expected: an IPv4 or IPv6 address such as 10.0.0.2 or ::1)",
    "dns:\\n  servers: 10.0.0.2\\npolicy: p.yaml"
        + "|2: dns.servers: is not a list (expected: [IP or IP:PORT, ...] such as [10.0.0.2])",
    "proxi:\\n  listen: 0.0.0.0:3128\\npolicy: p.yaml"
        + "|1: proxi: unknown key (expected one of: access-log, admin, alerts, database, digest, dns, dns-filter, identity, incidents,"
        + " interception, oidc, policy, proxy, radius, reports, unblocks)",
    "alerts:\\n  smtp: { host: mail.school.example, port: 587 }\\npolicy: p.yaml"
        + "|2: alerts.smtp.from: is required",
    "alerts:\\n  smtp: { host: mail.school.example, from: sg@school.example, security: tls }\\npolicy: p.yaml"
        + "|2: alerts.smtp: smtp security 'tls' is not valid (expected starttls-required, starttls-optional,"
        + " implicit-tls or off)",
    "alerts:\\n  routes:\\n    - { match: { audience: dsl }, to: [email:dsl@school.example] }\\npolicy: p.yaml"
        + "|2: alerts: route { audience: dsl } sends to email:dsl@school.example but no smtp server is configured"
        + " (add smtp: host, port, from)",
    "alerts:\\n  routes:\\n    - { match: { audience: pupils }, to: [webhook:x] }\\npolicy: p.yaml"
        + "|3: alerts.routes[0]: match.audience is not dsl or technicians",
    "incidents:\\n  escalate-after: soon\\npolicy: p.yaml"
        + "|2: incidents.escalate-after: 'soon' is not a duration (expected: a number and a unit such as 500ms, 10s,"
        + " 2m, 1h, 14d)",
    "digest:\\n  to: [dsl@school.example]\\npolicy: p.yaml"
        + "|2: digest: is set but alerts: has no smtp server to send it through (expected: alerts.smtp"
        + " with host, port and from)",
    "alerts:\\n  smtp: { host: m.school.example, from: sg@school.example }\\ndigest:\\n  to: [dsl@school.example]"
        + "\\n  day: someday\\npolicy: p.yaml"
        + "|5: digest.day: 'someday' is not a day (expected: monday ... sunday)",
    "interception:\\n  ca-key: ca/k.pem\\npolicy: p.yaml"
        + "|2: interception: needs ca-certificate and ca-key, or ca-pkcs12 (expected: the files"
        + " 'schoolgate ca init' writes: ca/schoolgate-ca.pem and ca/schoolgate-ca.key)",
    "interception:\\n  ca-pkcs12: ca.p12\\n  leaf-validity: 2y\\npolicy: p.yaml"
        + "|3: interception.leaf-validity: '2y' is not a duration (expected: a number and a unit such as 500ms,"
        + " 10s, 2m, 1h, 14d)",
    "admin:\\n  listen: 0.0.0.0:8080\\npolicy: p.yaml"
        + "|2: admin.listen 0.0.0.0:8080 reaches beyond this machine without TLS (expected: admin.tls with a"
        + " certificate and key, or school-ca: true; or admin.allow-plain-http: true when a TLS reverse proxy"
        + " stands in front)",
    "admin:\\n  public-url: http://filter.school.example\\n  tls: { certificate: a.pem, key: a.key }\\npolicy: p.yaml"
        + "|2: admin.public-url 'http://filter.school.example' is http while admin.tls is set (expected:"
        + " https://filter.school.example, so the block page links to the HTTPS address)",
    "admin:\\n  tls: { certificate: a.pem }\\npolicy: p.yaml"
        + "|2: admin.tls: certificate and key go together (expected: the PEM chain and its PEM key)",
    "radius:\\n  listen: 0.0.0.0:1813\\npolicy: p.yaml"
        + "|2: radius.clients: is required and must be a list (expected: [{ name: wlc, network: 10.0.0.10/32,"
        + " secret-file: /etc/schoolgate/radius-wlc.secret }])",
    "radius:\\n  clients:\\n    - { name: wlc, network: 10.0.0.0/33, secret-file: s }\\npolicy: p.yaml"
        + "|3: radius.clients[0].network: '10.0.0.0/33': prefix 33 is out of range (expected: 0-32 for IPv4)",
    "identity:\\n  sessions: { reporters: [10.0.0.10/32], max-length: 40d }\\npolicy: p.yaml"
        + "|2: identity.sessions.max-length is PT960H (expected: between PT1M and PT744H, e.g. 7d)",
    "proxy:\\n  listen: 0.0.0.0:3128"
        + "|1: policy: is required (expected: the path of the policy YAML file)",
    "policy: [a, b]"
        + "|1: policy: is not a single value",
    "proxy: {listen: 0.0.0.0:3128\\npolicy: p.yaml"
        + "|2: not valid YAML: expected ',' or '}', but got :",
  })
  void mistakesAreReportedWithFileLineAndField(String yaml, String expected) throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n") + "\n");

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":" + expected));
  }

  @Test
  void theAccessLogCanBeCopiedAsSquidLinesAndToSyslog() throws Exception {
    RuntimeConfig config = load("policy: policy.yaml\naccess-log:\n  squid: true\n  syslog:\n    host: 10.0.0.5\n"
        + "    transport: tcp\n    facility: local4\n    hostname: filter1\n");

    assertThat(config.logExports()).isEqualTo(new org.schoolgate.proxy.log.export.LogExports(true,
        new org.schoolgate.proxy.log.export.SyslogSettings("10.0.0.5", 514,
            org.schoolgate.proxy.log.export.SyslogSettings.Transport.TCP, 20, "filter1", 16_384)));
    assertThat(load("policy: policy.yaml\n").logExports())
        .isEqualTo(org.schoolgate.proxy.log.export.LogExports.NONE);
  }

  @Test
  void syslogMistakesAreReportedAtTheirLine() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, "policy: policy.yaml\naccess-log:\n  squid: yes please\n  syslog:\n    host: 10.0.0.5\n"
        + "    port: 70000\n    transport: carrier-pigeon\n    facility: local9\n");

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: access-log.squid: 'yes please' (expected: true or false)",
            file + ":7: access-log.syslog.transport: 'carrier-pigeon' (expected: udp or tcp)",
            file + ":8: access-log.syslog.facility 'local9' (expected one of: kern, user, mail, daemon, auth, syslog,"
                + " lpr, news, uucp, cron, authpriv, ftp, ntp, security, console, solaris-cron, local0, local1,"
                + " local2, local3, local4, local5, local6, local7)",
            file + ":6: access-log.syslog.port 70000 (expected: 1..65535, usually 514)"));
  }

  @Test
  void everyMistakeIsReportedAtOnce() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, "proxy:\n  listen: nowhere\n  idle-timeout: 5 minutes\nadmin:\n  listen: 1.2.3.4\n");

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":2: proxy.listen: 'nowhere' has no port (expected: IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080)",
            file + ":3: proxy.idle-timeout: '5 minutes' is not a duration (expected: a number and a unit such as 500ms, 10s, 2m, 1h, 14d)",
            file + ":5: admin.listen: '1.2.3.4' has no port (expected: IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080)",
            file + ":1: policy: is required (expected: the path of the policy YAML file)"));
  }

  @Test
  void theIdentitySectionReadsTheDirectoryKeytabAndLockOutSettings() throws Exception {
    Files.writeString(dir.resolve("ldap.password"), "service-secret\n");
    Files.writeString(dir.resolve("proxy.keytab"), "not read at load");
    RuntimeConfig config = load("""
        policy: policy.yaml
        identity:
          directory:
            urls: [ldaps://dc1.school.example, "ldaps://dc2.school.example:3269"]
            bind-dn: "CN=schoolgate,OU=Service Accounts,DC=school,DC=example"
            bind-password-file: ldap.password
            user-base: "OU=People,DC=school,DC=example"
            membership: member
            response-timeout: 2s
          kerberos: { keytab: proxy.keytab, principal: HTTP/proxy.school.example@SCHOOL.EXAMPLE }
          cache-for: 10m
          lockout-threshold: 10
          lockout-window: 15m
        """);

    SignInSettings identity = config.identity().signIn();
    assertThat(identity.directory().urls()).hasSize(2);
    assertThat(new String(identity.directory().bindPassword())).isEqualTo("service-secret");
    assertThat(identity.directory().userAttribute()).isEqualTo("sAMAccountName");
    assertThat(identity.directory().membership()).isEqualTo(org.schoolgate.identity.directory.LdapSettings.Membership.MEMBER);
    assertThat(identity.directory().responseTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(identity.keytab()).isEqualTo(dir.resolve("proxy.keytab"));
    assertThat(identity.verifier().cacheFor()).isEqualTo(Duration.ofMinutes(10));
    assertThat(identity.verifier().failuresPerUser()).isEqualTo(8);
    assertThat(identity.directory().toString()).doesNotContain("service-secret");
    assertThat(load("policy: policy.yaml\n").identity().signIn()).isNull();
  }

  @Test
  void adminDirectoryRolesMapGroupsToRolesAndNeedTheDirectory() throws Exception {
    Files.writeString(dir.resolve("ldap.password"), "service-secret\n");
    RuntimeConfig config = load("""
        policy: policy.yaml
        admin:
          directory-roles:
            - { directory-group: "CN=Safeguarding,OU=Groups,DC=school,DC=example", role: dsl }
            - { directory-group: Teachers, role: teacher }
        identity:
          directory:
            urls: [ldaps://dc1.school.example]
            bind-dn: "CN=schoolgate,DC=school,DC=example"
            bind-password-file: ldap.password
            user-base: "OU=People,DC=school,DC=example"
        """);
    assertThat(config.admin().directoryRoles()).containsExactly(
        new org.schoolgate.admin.signin.DirectoryRoles.Mapping("CN=Safeguarding,OU=Groups,DC=school,DC=example",
            org.schoolgate.store.Role.DSL),
        new org.schoolgate.admin.signin.DirectoryRoles.Mapping("Teachers", org.schoolgate.store.Role.TEACHER));

    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, """
        policy: policy.yaml
        admin:
          directory-roles:
            - { directory-group: Scripts, role: identity-source }
            - { directory-group: Heads, role: headteacher }
            - { role: dsl }
            - { directory-group: Staff, role: teacher }
        """);
    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            file + ":4: admin.directory-roles[0]: identity-source cannot come from a directory group (expected:"
                + " teacher, technician, dsl, senior-leader, governor or admin; logon scripts use a local account)",
            file + ":5: admin.directory-roles[1].role: 'headteacher' is not a role (expected: teacher, technician,"
                + " dsl, senior-leader, governor or admin)",
            file + ":6: admin.directory-roles[2]: needs directory-group and role (expected: { directory-group:"
                + " \"CN=Teachers,OU=Groups,DC=school,DC=example\", role: teacher })",
            file + ":4: admin.directory-roles: needs the school's directory (expected: identity.directory with its"
                + " urls, bind-dn and user-base; or leave directory-roles out)"));
  }

  @Test
  void localProxyAccountsAloneAreEnoughForSignIn() throws Exception {
    SignInSettings local = load("""
        policy: policy.yaml
        identity:
          local-accounts: true
        """).identity().signIn();
    assertThat(local.localAccounts()).isTrue();
    assertThat(local.directory()).isNull();
    assertThat(local.verifier()).isEqualTo(org.schoolgate.identity.verify.VerifierSettings.DEFAULTS);

    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, "policy: policy.yaml\nidentity:\n  local-accounts: yes-please\n");
    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).contains(
            file + ":3: identity.local-accounts: is 'yes-please' (expected: true or false)"));
  }

  @Test
  void identityMistakesNameTheLineAndField() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, """
        policy: policy.yaml
        identity:
          directory:
            urls: [ldap://dc1.school.example]
            bind-dn: "CN=schoolgate,DC=school,DC=example"
            bind-password-file: missing.password
            membership: nested
          lockout-threshold: 2
          kerberos: { principal: HTTP/proxy.school.example@SCHOOL.EXAMPLE }
        """);

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            file + ":4: identity.directory.user-base: is required (expected: e.g. OU=People,DC=school,DC=example)",
            file + ":7: identity.directory.membership: is 'nested' (expected: member-of or member)",
            file + ":6: identity.directory.bind-password-file: cannot read " + dir.resolve("missing.password")
                + ": " + dir.resolve("missing.password") + " (expected: a file holding the service account's"
                + " password, readable by the schoolgate user)",
            file + ":8: identity.lockout-threshold is 2 (expected: 0 when the directory never locks accounts,"
                + " or at least 3: the proxy stays two attempts below it)"));
  }

  @Test
  void signInThrottlesAreRuntimeSettingsWithTodaysValuesAsDefaults() throws Exception {
    RuntimeConfig defaults = load("policy: policy.yaml\n");
    assertThat(defaults.admin().signInLimits()).isNull();
    assertThat(defaults.admin().deviceGuesses()).isNull();

    RuntimeConfig config = load("""
        policy: policy.yaml
        admin:
          sign-in-limits: { address-failures: 3, first-lock: 2m, account-failures: 30, max-slow: 5s }
          device-sign-in-limits: { per-address: 4, window: 30m }
        identity:
          local-accounts: true
          lockout-threshold: 10
          failures-per-user: 5
          failures-per-client: 40
          lockout-window: 20m
        """);

    assertThat(config.admin().signInLimits()).isEqualTo(new org.schoolgate.admin.signin.SignInLimits(3,
        Duration.ofMinutes(2), Duration.ofHours(1), 30, Duration.ofMinutes(15), Duration.ofSeconds(1),
        Duration.ofSeconds(5)));
    assertThat(config.admin().deviceGuesses()).isEqualTo(new org.schoolgate.admin.signin.GuessLimits(4, 100,
        Duration.ofMinutes(30)));
    org.schoolgate.identity.verify.VerifierSettings verifier = config.identity().signIn().verifier();
    assertThat(verifier.failuresPerUser()).isEqualTo(5);
    assertThat(verifier.failuresPerClient()).isEqualTo(40);
    assertThat(verifier.lockoutWindow()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void signInThrottleMistakesNameTheLineAndField() throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, """
        policy: policy.yaml
        admin:
          sign-in-limits:
            address-failures: 10
            account-failures: 4
          device-sign-in-limits:
            per-address: lots
            window: 10s
        identity:
          local-accounts: true
          lockout-threshold: 5
          failures-per-user: 5
        """);

    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            file + ":5: admin.sign-in-limits.account-failures is 4 (expected: at least address-failures, 10, e.g."
                + " 20: one address alone is locked before the account slows)",
            file + ":7: admin.device-sign-in-limits.per-address: 'lots' is not a whole number (expected: e.g. 5)",
            file + ":12: identity.failures-per-user is 5 (expected: below lockout-threshold 5, so wrong passwords"
                + " sent through the proxy can never lock the account at the directory; the default 3 leaves the"
                + " person two tries of their own)"));

    Files.writeString(file, """
        policy: policy.yaml
        admin:
          device-sign-in-limits: { per-address: 5, overall: 2, window: 10m }
        """);
    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":3: admin.device-sign-in-limits.overall is 2 (expected: at least per-address, 5, and at most"
                + " 1000000; e.g. 100)"));
  }

  private RuntimeConfig load(String yaml) throws Exception {
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, yaml);
    return RuntimeConfigLoader.load(file);
  }

}
