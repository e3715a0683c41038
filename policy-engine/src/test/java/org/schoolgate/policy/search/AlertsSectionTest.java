package org.schoolgate.policy.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.model.PolicyReader;

/** The policy's {@code alerts:} section: read, checked with file:line:field, compiled into the snapshot. */
class AlertsSectionTest {
  @TempDir Path dir;

  private static final String BASE = """
      groups:
        ks2: { subnets: [10.10.0.0/16] }
      categories:
        extremism: { domains: [extreme.example] }
        pornography: { domains: [porn.example] }
      matrix:
        extremism: { default: unacceptable }
        pornography: { default: unacceptable }
      """;

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyReader.read(file));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(err -> err.line() + ": " + err.field() + ": " + err.message()).toList();
  }

  @Test
  void withoutTheSectionTheBuiltInDefaultsApply() {
    AlertPolicy p = TestPolicies.compile(dir, BASE).alertPolicy();
    assertThat(p.repeatThreshold()).isEqualTo(5);
    assertThat(p.thresholdFor("extremism")).isEqualTo(3);
    assertThat(p.thresholdFor("pornography")).isEqualTo(5);
    assertThat(p.repeatWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.burstThreshold()).isEqualTo(30);
    assertThat(p.burstWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.circumventionWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.setting(Theme.SELF_HARM)).isEqualTo(new ThemeSetting(Severity.CRITICAL, true));
    assertThat(p.setting(Theme.EXTREMISM).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(p.setting(Theme.GROOMING).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(p.setting(Theme.BULLYING).severity()).isEqualTo(Severity.WARNING);
    assertThat(p.setting(Theme.DRUGS).severity()).isEqualTo(Severity.WARNING);
    assertThat(p.setting(Theme.WEAPONS).severity()).isEqualTo(Severity.WARNING);
    assertThat(p.match("how to kill myself")).extracting(ThemeMatch::theme).containsExactly(Theme.SELF_HARM);
    assertThat(p.downloads()).isEqualTo(DownloadAlerts.DEFAULTS);
  }

  @Test
  void downloadAlertsAreReadFromTheSection() {
    AlertPolicy p = TestPolicies.compile(dir, BASE + """
        alerts:
          downloads: { threshold: 2, window: 30m, at-once: [script, disk-image], to: dsl }
        """).alertPolicy();

    assertThat(p.downloads()).isEqualTo(new DownloadAlerts(2, Duration.ofMinutes(30),
        java.util.Set.of(org.schoolgate.policy.download.FileKind.SCRIPT,
            org.schoolgate.policy.download.FileKind.DISK_IMAGE), DownloadAlerts.To.DSL));
    assertThat(p.downloads().alertsAtOnce(org.schoolgate.policy.download.FileKind.EXECUTABLE)).isFalse();
  }

  @Test
  void badDownloadAlertValuesAreErrorsWithTheirLineAndField() {
    assertThat(errors(BASE + """
        alerts:
          downloads: { threshold: 0, window: later, at-once: [script, malware], to: teachers, every: 1 }
        """)).containsExactly(
        "10: alerts.downloads.every: unknown key 'every' (expected one of: threshold, window, at-once, to)",
        "10: alerts.downloads.threshold: is '0' (expected: a whole number, 1 or more, e.g. 5)",
        "10: alerts.downloads.window: is 'later' (expected: a positive duration such as 90s, 10m, 2h or 1d)",
        "10: alerts.downloads.at-once[1]: unknown kind 'malware' (expected one of: executable, installer, script,"
            + " disk-image, archive)",
        "10: alerts.downloads.to: is 'teachers' (expected: technicians or dsl)");
  }

  @Test
  void theSectionSetsThresholdsWindowsEnginesAndThemesAndSchoolListsAddToTheStarterLists() throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    Files.writeString(dir.resolve("lists/extra.txt"), "# our own\nwalk into the sea\n");
    PolicySnapshot snapshot = TestPolicies.compile(dir, BASE + """
        alerts:
          repeated: { threshold: 4, window: 15m, categories: { pornography: 6 } }
          burst: { threshold: 20, window: 90s }
          circumvention: { window: 1h }
          search-engines: [ { host: search.example.org, parameter: q, path: /find } ]
          themes:
            self-harm: { severity: critical, lists: [lists/extra.txt] }
            bullying: { severity: info }
            drugs: { enabled: false }
        """).withUnblocks(org.schoolgate.policy.UnblockSet.EMPTY);
    AlertPolicy p = snapshot.alertPolicy();
    assertThat(p.repeatThreshold()).isEqualTo(4);
    assertThat(p.repeatThresholds()).isEqualTo(Map.of("pornography", 6));
    assertThat(p.thresholdFor("extremism")).isEqualTo(4);
    assertThat(p.repeatWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(p.burstThreshold()).isEqualTo(20);
    assertThat(p.burstWindow()).isEqualTo(Duration.ofSeconds(90));
    assertThat(p.circumventionWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(p.setting(Theme.BULLYING)).isEqualTo(new ThemeSetting(Severity.INFO, true));
    assertThat(p.setting(Theme.DRUGS).enabled()).isFalse();
    assertThat(p.match("i will walk into the sea")).extracting(ThemeMatch::phrase).containsExactly("walk into the sea");
    assertThat(p.match("how to kill myself")).extracting(ThemeMatch::phrase).containsExactly("kill myself");
    assertThat(p.match("buy weed")).isEmpty();
    assertThat(snapshot.searchTerm("search.example.org", "/find", "q=walk+into+the+sea")).isEqualTo("walk into the sea");
    assertThat(snapshot.searchTerm("www.google.com", "/search", "q=cats")).isEqualTo("cats");
  }

  @Test
  void badValuesAreErrorsWithTheirLineAndField() {
    assertThat(errors(BASE + """
        alerts:
          repeated: { threshold: 0, window: soon, categories: { porn: 2 } }
          burst: { threshold: lots, windw: 2m }
          search-engines: [ { host: "https://x.example/", parameter: q }, { parameter: q } ]
          themes:
            self-harm: { severity: urgent, enabled: maybe, lists: [missing.txt] }
            gambling: { severity: warning }
        """)).containsExactly(
        "10: alerts.repeated.threshold: is '0' (expected: a whole number, 1 or more, e.g. 5)",
        "10: alerts.repeated.window: is 'soon' (expected: a positive duration such as 90s, 10m, 2h or 1d)",
        "10: alerts.repeated.categories.porn: unknown category 'porn' (expected one of the names under 'categories')",
        "11: alerts.burst.windw: unknown key 'windw', did you mean 'window'? (expected one of: threshold, window)",
        "11: alerts.burst.threshold: is 'lots' (expected: a whole number, 1 or more, e.g. 5)",
        "12: alerts.search-engines[0]: search engine host 'https://x.example/' is not a host name"
            + " (expected: e.g. search.example.org, without scheme or path)",
        "12: alerts.search-engines[1]: has no 'host' (expected: host: ...)",
        "14: alerts.themes.self-harm.severity: is 'urgent' (expected: critical, warning or info)",
        "14: alerts.themes.self-harm.enabled: is 'maybe' (expected: true or false)",
        "14: alerts.themes.self-harm.lists[0]: file " + dir.resolve("missing.txt")
            + " does not exist (expected: a UTF-8 keyword file, one word or phrase per line)",
        "15: alerts.themes.gambling: unknown key 'gambling' (expected one of: self-harm, extremism, grooming,"
            + " bullying, drugs, weapons)");
  }

  @Test
  void aKeywordFileThatIsNotUtf8IsACompileError() throws Exception {
    Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    Path file = TestPolicies.write(dir, BASE + """
        alerts:
          themes:
            bullying: { lists: [latin1.txt] }
        """);
    PolicyException e = catchThrowableOfType(PolicyException.class,
        () -> PolicyCompiler.compileFile(file, TestPolicies.CLOCK));
    assertThat(e).isNotNull();
    assertThat(e.errors()).singleElement().satisfies(err -> {
      assertThat(err.field()).isEqualTo("alerts.themes.bullying.lists");
      assertThat(err.message()).contains("latin1.txt").contains("UTF-8");
    });
  }

  @Test
  void theSamplePolicyHasAnAlertsSectionThatCompiles() {
    AlertPolicy p = TestPolicies.sample(dir).alertPolicy();
    assertThat(p.thresholdFor("extremism")).isEqualTo(3);
    assertThat(p.match("su1c1de")).extracting(ThemeMatch::theme).containsExactly(Theme.SELF_HARM);
    assertThat(p.downloads()).isEqualTo(new DownloadAlerts(3, Duration.ofMinutes(10),
        java.util.Set.of(org.schoolgate.policy.download.FileKind.SCRIPT), DownloadAlerts.To.TECHNICIANS));
  }
}
