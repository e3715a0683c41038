package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.LONDON;
import static org.schoolgate.alerts.AlertRulesTest.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.download.FileKind;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.DownloadAlerts;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/** The blocked-downloads rule: N in a window to the technicians (or the DSL), some kinds at once. */
class DownloadAlertsRuleTest {
  private final AtomicReference<AlertPolicy> policy = new AtomicReference<>(with(DownloadAlerts.DEFAULTS));
  private final AlertRules rules = new AlertRules(AlertSettings.DEFAULTS, policy::get);

  private static AlertPolicy with(DownloadAlerts downloads) {
    AlertPolicy d = AlertPolicy.defaults();
    return new AlertPolicy(d.repeatThreshold(), d.repeatThresholds(), d.repeatWindow(), d.burstThreshold(),
        d.burstWindow(), d.circumventionWindow(), d.themes(), d.matcher(), downloads);
  }

  private static AccessInput download(Instant at, String who, String kind, String path) {
    return new AccessInput(at, LONDON, "10.10.3.7", who, "ks3-4", "files.example",
        "http://files.example" + path, List.of("games"), "block", "acceptable", "download:" + kind, null);
  }

  private List<NewAlert> downloadAlerts(AccessInput e) {
    return rules.evaluate(e).stream().filter(a -> a.kind().equals("blocked-downloads")).toList();
  }

  @Test
  void threeBlockedDownloadsWithinTenMinutesAreOneWarningForTheTechnicians() {
    assertThat(downloadAlerts(download(T0, "sam.pupil", "executable", "/a.exe"))).isEmpty();
    assertThat(downloadAlerts(download(T0.plusSeconds(60), "sam.pupil", "installer", "/b.msi"))).isEmpty();
    List<NewAlert> third = downloadAlerts(download(T0.plusSeconds(300), "sam.pupil", "executable", "/c.exe"));

    assertThat(third).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
      assertThat(a.audience()).isEqualTo(Alert.Audience.TECHNICIANS);
      assertThat(a.who()).isEqualTo("sam.pupil (ks3-4)");
      assertThat(a.subject()).isEqualTo(
          "3 blocked downloads by sam.pupil (ks3-4) within 10 minutes (from Mon 6 Jul 2026 10:00:00)");
      assertThat(a.details()).contains("download:executable  http://files.example/a.exe",
          "download:installer  http://files.example/b.msi", "download:executable  http://files.example/c.exe");
      assertThat(a.idempotencyKey()).isEqualTo("downloads:sam.pupil:" + T0.toEpochMilli());
    });
    // once per window: a fourth within it raises nothing more
    assertThat(downloadAlerts(download(T0.plusSeconds(400), "sam.pupil", "executable", "/d.exe"))).isEmpty();
  }

  @Test
  void downloadsSpreadOverMoreThanTheWindowOrRetriesOfOneFileDoNotAlert() {
    assertThat(downloadAlerts(download(T0, "sam.pupil", "executable", "/a.exe"))).isEmpty();
    assertThat(downloadAlerts(download(T0.plusSeconds(5), "sam.pupil", "executable", "/a.exe"))).isEmpty();
    assertThat(downloadAlerts(download(T0.plusSeconds(10), "sam.pupil", "executable", "/a.exe"))).isEmpty();
    assertThat(downloadAlerts(download(T0.plusSeconds(700), "sam.pupil", "executable", "/b.exe"))).isEmpty();
    assertThat(downloadAlerts(download(T0.plusSeconds(1300), "sam.pupil", "executable", "/c.exe"))).isEmpty();
    // other people's downloads are counted for them
    assertThat(downloadAlerts(download(T0.plusSeconds(1310), "alex.pupil", "executable", "/c.exe"))).isEmpty();
  }

  @Test
  void aKindTheSchoolMarksAlertsAtOnceAndTheSchoolCanSendItToTheDsl() {
    policy.set(with(new DownloadAlerts(3, Duration.ofMinutes(10), Set.of(FileKind.SCRIPT), DownloadAlerts.To.DSL)));

    assertThat(downloadAlerts(download(T0, "sam.pupil", "executable", "/a.exe"))).isEmpty();
    List<NewAlert> script = downloadAlerts(download(T0.plusSeconds(60), "sam.pupil", "script", "/run.ps1"));

    assertThat(script).singleElement().satisfies(a -> {
      assertThat(a.audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.subject()).isEqualTo(
          "Blocked download of a script by sam.pupil (ks3-4) at Mon 6 Jul 2026 10:01:00: files.example");
      assertThat(a.details()).contains("url: http://files.example/run.ps1", "kind: script");
    });
    // the same script again within seconds is the same attempt
    assertThat(downloadAlerts(download(T0.plusSeconds(65), "sam.pupil", "script", "/run.ps1"))).isEmpty();
    // the third counted download trips the threshold: one alert listing them all, not two
    assertThat(downloadAlerts(download(T0.plusSeconds(120), "sam.pupil", "script", "/other.bat")))
        .singleElement().satisfies(a -> assertThat(a.subject()).startsWith("3 blocked downloads"));
    // in the quiet window after it, a marked kind still alerts at once
    assertThat(downloadAlerts(download(T0.plusSeconds(180), "sam.pupil", "script", "/third.vbs")))
        .singleElement().satisfies(a -> assertThat(a.subject()).startsWith("Blocked download of a script"));
  }

  @Test
  void allowedDownloadsAndOtherBlocksAreNotDownloadAlerts() {
    for (int i = 0; i < 5; i++) {
      AccessInput allowed = new AccessInput(T0.plusSeconds(i * 60L), LONDON, "10.10.3.7", "sam.pupil", "staff",
          "files.example", "http://files.example/" + i + ".exe", List.of(), "allow", "acceptable", "default", null);
      AccessInput category = new AccessInput(T0.plusSeconds(i * 60L + 1), LONDON, "10.10.3.7", "sam.pupil", "ks3-4",
          "games.example", "http://games.example/" + i, List.of("games"), "block", "unacceptable",
          "matrix:games/ks3-4", null);
      assertThat(downloadAlerts(allowed)).isEmpty();
      assertThat(downloadAlerts(category)).isEmpty();
    }
  }

  @Test
  void theKindIsKnownFromTheStartSoItHasItsMeter() {
    assertThat(AlertRules.kinds()).contains("blocked-downloads");
  }
}
