package org.schoolgate.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * The digest built from a real SQLite store and real access-log files (the proxy's daily JSON
 * lines) in a temporary directory: the week of Monday 16 November 2026 in London against the
 * week before.
 */
class WeeklyDigestTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final DigestSchedule.Week WEEK = DigestSchedule.Week.of(LocalDate.of(2026, 11, 16), LONDON);
  private static final Actor DSL = new Actor(null, "mrs.dsl", null);
  @TempDir Path dir;
  private Path logs;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
  private Store store;

  @BeforeEach
  void open() throws IOException {
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    logs = Files.createDirectories(dir.resolve("logs"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theDigestCountsIncidentsOpenedClosedAndOpenBySeverityAndKindAgainstThePreviousWeek() {
    IncidentId a = raise("2026-11-10T09:00:00Z", "a", "alex (ks3-4)", "repeated-attempts", Alert.Severity.WARNING);
    IncidentId b = raise("2026-11-11T09:00:00Z", "b", "kim (ks5)", "illegal-category", Alert.Severity.CRITICAL);
    at("2026-11-12T09:00:00Z");
    store.incidents().close(b, "referred to social care", DSL);
    raise("2026-11-17T10:00:00Z", "c", "sam (ks3-4)", "illegal-category", Alert.Severity.CRITICAL);
    raise("2026-11-18T10:00:00Z", "d", "sam (ks3-4)", "repeated-attempts", Alert.Severity.WARNING);
    at("2026-11-19T10:00:00Z");
    store.incidents().close(a, "spoke to alex; no further action", DSL);
    IncidentId e = raise("2026-11-20T10:00:00Z", "e", "lee (ks3-4)", "repeated-attempts", Alert.Severity.WARNING);
    store.incidents().assign(e, accountFor("mr.form"), DSL);
    raise("2026-11-23T08:00:00Z", "f", "zoe (ks3-4)", "repeated-attempts", Alert.Severity.WARNING);

    DigestMessage digest = new WeeklyDigest(store.incidents(), logs).build(WEEK);

    assertThat(digest.subject()).isEqualTo("Schoolgate safeguarding digest Mon 16 Nov 2026 to Sun 22 Nov 2026:"
        + " 3 opened, 1 closed, 3 open");
    assertThat(digest.body()).startsWith("Safeguarding digest for Mon 16 Nov 2026 to Sun 22 Nov 2026"
        + " (Europe/London)\nCompared with the week before (Mon 9 Nov 2026 to Sun 15 Nov 2026).\n");
    assertThat(digest.body()).contains(
        "INCIDENTS\n"
            + "  opened: 3 (previous week 2, +50%)\n"
            + "  closed: 1 (previous week 1, ±0%)\n"
            + "  open at the end of the week: 3 (previous week 1, +200%)\n",
        "OPENED BY SEVERITY\n"
            + "  critical: 1 (previous week 1, ±0%)\n"
            + "  warning: 2 (previous week 1, +100%)\n"
            + "  info: 0 (previous week 0, ±0%)\n",
        "OPENED BY KIND\n"
            + "  illegal-category: 1 (previous week 1, ±0%)\n"
            + "  repeated-attempts: 2 (previous week 1, +100%)\n",
        "TOP THEMES\n"
            + "  1. repeated-attempts: 2 incidents (previous week 1, +100%)\n"
            + "  2. illegal-category: 1 incident (previous week 1, ±0%)\n",
        "STILL OPEN AT THE END OF THE WEEK\n  #",
        " critical new, sam (ks3-4), illegal-category, opened Tue 17 Nov 10:00, unassigned: subject c\n",
        " warning new, lee (ks3-4), repeated-attempts, opened Fri 20 Nov 10:00, assigned to mr.form: subject e\n");
    assertThat(digest.body()).doesNotContain("zoe", "alex (ks3-4), repeated");
    List<AuditRecord> reads = store.audit().query(AuditTrail.Query.all()).stream()
        .filter(r -> r.type().equals("incident.listed")).collect(Collectors.toList());
    assertThat(reads).singleElement().satisfies(r -> assertThat(r.actor()).isEqualTo("system:digest"));
  }

  @Test
  void theDigestCountsGenerativeAiToolUsePerGroupAgainstThePreviousWeek() throws IOException {
    log("2026-11-10", user(event("2026-11-10T09:00:00Z", "ks3-4", "allow", "ai-chat"), "sam"));
    log("2026-11-17",
        user(event("2026-11-17T09:00:00Z", "ks3-4", "allow", "ai-chat"), "sam"),
        user(event("2026-11-17T09:01:00Z", "ks3-4", "allow", "ai-chat", "search-engines"), "sam"),
        user(event("2026-11-17T09:02:00Z", "ks3-4", "allow", "chatbots"), "lee"),
        user(event("2026-11-17T09:03:00Z", "ks3-4", "block", "ai-chat"), "kim"),
        user(event("2026-11-17T09:04:00Z", "ks3-4", "allow", "news"), "kim"),
        // a line content analysis marked as an AI tool's answer counts even without the category
        "{\"time\":\"2026-11-18T10:00:00Z\",\"client\":\"10.0.0.9\",\"user\":\"ann\",\"group\":\"staff\","
            + "\"categories\":[],\"action\":\"allow\",\"content\":{\"action\":\"alert\",\"ai\":true}}");

    DigestData data = new WeeklyDigest(store.incidents(), logs, null, () -> java.util.Set.of("ai-chat", "chatbots"))
        .data(WEEK);

    assertThat(data.aiUse()).containsExactly(
        new DigestData.GroupAiUse("ks3-4", new DigestData.Change("requests", 3, 1),
            new DigestData.Change("blocked", 1, 0), new DigestData.Change("people", 3, 1)),
        new DigestData.GroupAiUse("staff", new DigestData.Change("requests", 1, 0),
            new DigestData.Change("blocked", 0, 0), new DigestData.Change("people", 1, 0)));
    String body = WeeklyDigest.render(data, null).body();
    assertThat(body).contains("GENERATIVE-AI TOOL USE BY GROUP\n"
        + "  ks3-4: 3 requests (previous week 1, +200%), 3 signed-in people (previous week 1, +200%),"
        + " 1 blocked (previous week 0, new)\n"
        + "  staff: 1 request (previous week 0, new), 1 signed-in person (previous week 0, new),"
        + " 0 blocked (previous week 0, ±0%)\n");
    assertThat(new WeeklyDigest(store.incidents(), logs).build(WEEK).body())
        .as("by default the sample's ai-chat category").contains("  ks3-4: 2 requests (previous week 1, +100%)");
  }

  @Test
  void aWeekWithoutAiToolUseSaysSo() {
    assertThat(new WeeklyDigest(store.incidents(), logs).build(WEEK).body())
        .contains("GENERATIVE-AI TOOL USE BY GROUP\n  no requests to AI chat tools in the access log this week\n");
  }

  @Test
  void theDigestListsTopBlockedCategoriesPerGroupFromTheAccessLogFilesWithTrends() throws IOException {
    log("2026-11-10", event("2026-11-10T09:00:00Z", "ks3-4", "block", "pornography"));
    log("2026-11-15", event("2026-11-15T23:30:00Z", "ks5", "block", "gambling"));
    log("2026-11-16",
        event("2026-11-16T09:00:00Z", "ks3-4", "block", "pornography"),
        event("2026-11-16T09:01:00Z", "ks3-4", "block", "pornography"),
        event("2026-11-16T09:02:00Z", "ks3-4", "allow", "news"),
        "this line is not JSON",
        // a DNS lookup the filtering resolver blocked: not a request, not counted
        "{\"time\":\"2026-11-16T09:02:30Z\",\"event\":\"dns\",\"client\":\"10.0.0.5\",\"user\":null,"
            + "\"group\":\"ks3-4\",\"transport\":\"udp\",\"host\":\"porn.example\",\"qtype\":\"A\","
            + "\"categories\":[\"pornography\"],\"action\":\"block\",\"level\":\"unacceptable\","
            + "\"rule\":\"matrix:pornography/ks3-4\",\"answer\":\"nxdomain\",\"rcode\":\"NXDOMAIN\",\"durationMs\":0}",
        event("2026-11-16T09:03:00Z", "ks3-4", "block", "gambling", "games"));
    log("2026-11-22",
        event("2026-11-22T23:59:00Z", "ks3-4", "block", "pornography"),
        event("2026-11-22T12:00:00Z", "ks5", "block", "social-networking"),
        event("2026-11-22T12:01:00Z", "ks5", "block", "social-networking"),
        event("2026-11-22T12:02:00Z", null, "block", "malware"));
    log("2026-11-23", event("2026-11-23T00:30:00Z", "ks5", "block", "gambling"));

    String body = new WeeklyDigest(store.incidents(), logs).build(WEEK).body();

    assertThat(body).contains("TOP BLOCKED CATEGORIES BY GROUP\n"
        + "  (no group): 1 blocked (previous week 0, new)\n"
        + "    malware: 1 (previous week 0, new)\n"
        + "  ks3-4: 4 blocked (previous week 1, +300%)\n"
        + "    pornography: 3 (previous week 1, +200%)\n"
        + "    gambling: 1 (previous week 0, new)\n"
        + "    games: 1 (previous week 0, new)\n"
        + "  ks5: 2 blocked (previous week 1, +100%)\n"
        + "    social-networking: 2 (previous week 0, new)\n"
        + "  (1 unreadable access-log line skipped)\n");
    assertThat(body).contains("INCIDENTS\n  opened: 0 (previous week 0, ±0%)\n", "TOP THEMES\n  none this week\n");
  }

  @Test
  void withSeveralNodesTheDigestCountsEveryNodesLog() throws IOException {
    log("2026-11-16", event("2026-11-16T09:00:00Z", "ks3-4", "block", "pornography"));
    Path other = Files.createDirectories(logs.resolveSibling("node-b-logs"));
    Files.writeString(other.resolve("access-2026-11-16.jsonl"),
        event("2026-11-16T10:00:00Z", "ks3-4", "block", "pornography") + "\n"
            + event("2026-11-17T10:00:00Z", "ks5", "block", "gambling") + "\n");

    String body = new WeeklyDigest(store.incidents(), () -> List.of(logs, other), "both nodes' logs", null)
        .build(WEEK).body();

    assertThat(body).contains("  ks3-4: 2 blocked (previous week 0, new)\n    pornography: 2 (previous week 0, new)\n")
        .contains("  ks5: 1 blocked");
    String failed = new WeeklyDigest(store.incidents(), () -> {
      throw new IOException("node-logs is not mounted");
    }, "/srv/schoolgate-logs", null).build(WEEK).body();
    assertThat(failed).contains("/srv/schoolgate-logs could not be read: node-logs is not mounted");
  }

  @Test
  void aWeekWithoutAccessLogFilesSaysSoInsteadOfFailing() {
    String body = new WeeklyDigest(store.incidents(), logs.resolve("missing")).build(WEEK).body();

    assertThat(body).contains("TOP BLOCKED CATEGORIES BY GROUP\n  no blocked requests in the access log this week\n");
  }

  @Test
  void withAConsoleUrlEachOpenIncidentAndTheDigestLinkToTheirConsolePagesNeverToJson() {
    IncidentId c = raise("2026-11-17T10:00:00Z", "c", "sam (ks3-4)", "illegal-category", Alert.Severity.CRITICAL);

    String body = new WeeklyDigest(store.incidents(), logs, java.net.URI.create("https://filter.school.example/"))
        .build(WEEK).body();

    assertThat(body).contains(" critical new, sam (ks3-4), illegal-category, opened Tue 17 Nov 10:00, unassigned:"
            + " subject c\n     https://filter.school.example/incidents/" + c.value() + "\n",
        "Open this digest in the console: https://filter.school.example/digest/2026-11-16\n")
        .doesNotContain("/api/");
  }

  @Test
  void changeIsShownAsCountsAndSignedPercentages() {
    assertThat(WeeklyDigest.change(5, 4)).isEqualTo("previous week 4, +25%");
    assertThat(WeeklyDigest.change(1, 3)).isEqualTo("previous week 3, -67%");
    assertThat(WeeklyDigest.change(0, 2)).isEqualTo("previous week 2, -100%");
    assertThat(WeeklyDigest.change(2, 0)).isEqualTo("previous week 0, new");
    assertThat(WeeklyDigest.change(0, 0)).isEqualTo("previous week 0, ±0%");
  }

  private String accountFor(String username) {
    store.accounts().create(username, "Mr Form", "long enough password".toCharArray(),
        java.util.Set.of(org.schoolgate.store.Role.TEACHER), DSL);
    return username;
  }

  @Test
  void aSignedInPupilIsNamedWithTheirGroupWhereAnUnidentifiedOneIsNamedByAddress() {
    at("2026-11-17T10:00:00Z");
    org.schoolgate.alerts.AlertEngine engine = org.schoolgate.alerts.AlertEngine.start(store.alerts(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), org.schoolgate.alerts.AlertSettings.DEFAULTS);
    engine.offer(new org.schoolgate.alerts.AccessInput(clock.instant(), LONDON, "10.20.1.5", "sam.jones", "ks3-4",
        "child-grooming.example", "http://child-grooming.example/", List.of("child-grooming"), "block", "illegal",
        "illegal-category"));
    engine.offer(new org.schoolgate.alerts.AccessInput(clock.instant(), LONDON, "10.20.9.9", null, "ks3-4",
        "child-grooming.example", "http://child-grooming.example/", List.of("child-grooming"), "block", "illegal",
        "illegal-category"));
    engine.close(java.time.Duration.ofSeconds(10));

    String body = new WeeklyDigest(store.incidents(), logs).build(WEEK).body();

    assertThat(body).contains(", sam.jones (ks3-4), illegal-category, opened Tue 17 Nov 10:00")
        .contains(", 10.20.9.9 (ks3-4), illegal-category").doesNotContain("10.20.1.5");
  }

  private void at(String instant) {
    clock.set(Instant.parse(instant));
  }

  private IncidentId raise(String instant, String key, String who, String kind, Alert.Severity severity) {
    at(instant);
    Alert alert = store.alerts().raise(new NewAlert(severity, kind, Alert.Audience.DSL, "subject " + key, "", who,
        null, key), Actor.system("alerts"));
    return new IncidentId(Long.parseLong(alert.content().link().substring("incident:".length())));
  }

  /** One line as the proxy's AccessLogWriter writes it. */
  private static String event(String time, String group, String action, String... categories) {
    String cats = java.util.Arrays.stream(categories).map(c -> "\"" + c + "\"").collect(Collectors.joining(","));
    return "{\"time\":\"" + time + "\",\"client\":\"10.0.0.5\",\"user\":\"sam\",\"group\":"
        + (group == null ? "null" : "\"" + group + "\"") + ",\"method\":\"GET\",\"scheme\":\"http\","
        + "\"host\":\"example.test\",\"path\":\"/\",\"query\":null,\"categories\":[" + cats + "],\"action\":\""
        + action + "\",\"level\":\"blocked\",\"rule\":\"matrix\",\"unblock\":null,\"status\":403,\"bytesIn\":0,"
        + "\"bytesOut\":100,\"durationMs\":1}";
  }

  /** {@code line} with {@code name} as its user. */
  private static String user(String line, String name) {
    return line.replace("\"user\":\"sam\"", "\"user\":\"" + name + "\"");
  }

  private void log(String date, String... lines) throws IOException {
    Files.write(logs.resolve("access-" + date + ".jsonl"), (String.join("\n", lines) + "\n")
        .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
