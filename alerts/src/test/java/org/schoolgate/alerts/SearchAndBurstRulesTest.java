package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.LONDON;
import static org.schoolgate.alerts.AlertRulesTest.T0;
import static org.schoolgate.alerts.AlertRulesTest.blocked;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.Severity;
import org.schoolgate.policy.search.Theme;
import org.schoolgate.policy.search.ThemeSetting;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/** The search-term rule, the burst rule and rules tuned by the policy's {@code alerts:} section. */
class SearchAndBurstRulesTest {
  private final MutableClock clock = new MutableClock(T0);
  private final AtomicReference<AlertPolicy> policy = new AtomicReference<>(AlertPolicy.defaults());
  private final AlertRules rules = new AlertRules(AlertSettings.DEFAULTS, policy::get);

  private AccessInput search(String term, String action) {
    return new AccessInput(clock.instant(), LONDON, "10.10.3.7", "sam.pupil", "ks3-4", "www.google.com",
        "http://www.google.com/search?q=" + term.replace(' ', '+'), List.of(), action, "acceptable", "default",
        term);
  }

  private static AlertPolicy with(int burstThreshold, Duration burstWindow, Map<Theme, ThemeSetting> themes,
      int repeatThreshold) {
    AlertPolicy d = AlertPolicy.defaults();
    return new AlertPolicy(repeatThreshold, Map.of(), d.repeatWindow(), burstThreshold, burstWindow,
        d.circumventionWindow(), themes, d.matcher());
  }

  @ParameterizedTest(name = "[{0}] ({1}) → {2} {3}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "how to kill myself          | allow | search-self-harm | critical",
      "su1cide                     | block | search-self-harm | critical",
      "how to join isis            | allow | search-extremism | critical",
      "send nudes                  | allow | search-grooming  | critical",
      "everyone hates me           | allow | search-bullying  | warning",
      "where to buy weed           | block | search-drugs     | warning",
      "zombie knife for sale       | allow | search-weapons   | warning",
      "volcano facts               | allow | NULL             | NULL",
      "suicide squad trailer       | allow | NULL             | NULL",
  })
  void aSearchTermMatchingAThemeRaisesAnAlertForTheDsl(String term, String action, String kind, String severity) {
    List<NewAlert> alerts = rules.evaluate(search(term, action));
    if (kind == null) {
      assertThat(alerts).isEmpty();
      return;
    }
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(kind);
      assertThat(a.severity().apiName()).isEqualTo(severity);
      assertThat(a.audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.who()).isEqualTo("sam.pupil (ks3-4)");
      assertThat(a.subject()).contains("sam.pupil (ks3-4)", kind.substring("search-".length()), "\"" + term + "\"");
    });
  }

  @Test
  void theSearchAlertNamesWhoWhenInSchoolTimeTheThemeTermUrlAndPhrase() {
    NewAlert a = rules.evaluate(search("how to kill myself", "allow")).get(0);
    assertThat(a.subject()).isEqualTo(
        "Search about self-harm by sam.pupil (ks3-4) at Mon 6 Jul 2026 10:00:00: \"how to kill myself\"");
    assertThat(a.details()).contains("term: how to kill myself", "matched: kill myself",
        "url: http://www.google.com/search?q=how+to+kill+myself", "when: Mon 6 Jul 2026 10:00:00", "theme: self-harm");
    assertThat(a.idempotencyKey()).startsWith("search-self-harm:" + T0.toEpochMilli() + ":10.10.3.7:");
  }

  @Test
  void theSameSearchAgainLaterIsAnotherEventWithAnotherKey() {
    String first = rules.evaluate(search("how to kill myself", "allow")).get(0).idempotencyKey();
    clock.advance(Duration.ofSeconds(5));
    String second = rules.evaluate(search("how to kill myself", "allow")).get(0).idempotencyKey();
    assertThat(second).isNotEqualTo(first);
    assertThat(rules.evaluate(search("how to kill myself", "allow")).get(0).idempotencyKey()).isEqualTo(second);
  }

  @Test
  void aTermMatchingTwoThemesRaisesOneAlertPerTheme() {
    assertThat(rules.evaluate(search("kill myself or buy weed", "allow"))).extracting(NewAlert::kind)
        .containsExactly("search-self-harm", "search-drugs");
  }

  @Test
  void themeSeverityAndEnabledComeFromThePolicyAtTheTimeOfTheEvent() {
    policy.set(with(30, Duration.ofMinutes(2), Map.of(Theme.BULLYING, new ThemeSetting(Severity.CRITICAL, true),
        Theme.DRUGS, new ThemeSetting(Severity.WARNING, false)), 5));
    assertThat(rules.evaluate(search("everyone hates me", "allow"))).singleElement()
        .satisfies(a -> assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL));
    assertThat(rules.evaluate(search("buy weed", "allow"))).isEmpty();
  }

  @ParameterizedTest(name = "{0} blocks {1} s apart, burst {2} in {3} s → alerts on {4}")
  @CsvSource({
      "30, 1, 30, 120, 30",
      "40, 1, 30, 120, 30",   // once per window: blocks 31-40 fall in the same window
      "29, 1, 30, 120, ''",
      "40, 5, 30, 120, ''",   // 30 blocks take 145 s: never 30 within 2 minutes
      "10, 1, 5, 60, 5",
  })
  void aBurstOfBlocksByOnePersonAlertsTechniciansOncePerWindow(int blocks, int gapSeconds, int threshold,
      int windowSeconds, String alertOn) {
    policy.set(with(threshold, Duration.ofSeconds(windowSeconds), Map.of(), 1000));
    List<Integer> raisedOn = new ArrayList<>();
    for (int i = 1; i <= blocks; i++) {
      Instant at = T0.plusSeconds((long) gapSeconds * i);
      for (NewAlert a : rules.evaluate(blocked(at, "sam", i % 2 == 0 ? "gambling" : "games", "unacceptable",
          "matrix:x/ks3-4"))) {
        assertThat(a.kind()).isEqualTo("block-burst");
        assertThat(a.audience()).isEqualTo(Alert.Audience.TECHNICIANS);
        assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
        assertThat(a.details()).contains("blocked requests: " + threshold, "gambling.example  ×", "games.example  ×");
        assertThat(a.idempotencyKey()).isEqualTo("burst:sam:" + T0.plusSeconds(gapSeconds).toEpochMilli());
        raisedOn.add(i);
      }
    }
    assertThat(raisedOn).isEqualTo(alertOn.isEmpty() ? List.of() : List.of(Integer.parseInt(alertOn)));
  }

  @Test
  void burstsAreCountedPerPersonAndAllowedRequestsDoNotCount() {
    policy.set(with(4, Duration.ofMinutes(2), Map.of(), 1000));
    int alerts = 0;
    for (int i = 0; i < 6; i++) {
      alerts += rules.evaluate(blocked(T0.plusSeconds(i), i % 2 == 0 ? "sam" : "alex", "games", "unacceptable",
          "matrix:games/ks3-4")).size();
      alerts += rules.evaluate(search("volcano facts", "allow")).size();
    }
    assertThat(alerts).isZero();
  }

  @Test
  void repeatedAttemptThresholdsComeFromThePolicy() {
    policy.set(with(1000, Duration.ofMinutes(2), Map.of(), 2));
    assertThat(rules.evaluate(blocked(T0, "sam", "gambling", "unacceptable", "matrix:gambling/ks3-4"))).isEmpty();
    assertThat(rules.evaluate(blocked(T0.plusSeconds(40), "sam", "gambling", "unacceptable", "matrix:gambling/ks3-4")))
        .extracting(NewAlert::kind).containsExactly("repeated-attempts");
  }

  @Test
  void withoutAPolicyTheSettingsApply() {
    AlertRules fallback = new AlertRules(AlertSettings.DEFAULTS, () -> null);
    for (int i = 0; i < 2; i++) {
      assertThat(fallback.evaluate(blocked(T0.plusSeconds(40L * i), "sam", "extremism", "unacceptable", "m")))
          .isEmpty();
    }
    assertThat(fallback.evaluate(blocked(T0.plusSeconds(120), "sam", "extremism", "unacceptable", "m")))
        .extracting(NewAlert::kind).containsExactly("repeated-attempts");
  }

  @Test
  void evaluateIsSafeFromSeveralThreads() throws Exception {
    policy.set(with(1000, Duration.ofMinutes(10), Map.of(), 200));
    List<Thread> threads = new ArrayList<>();
    List<NewAlert> raised = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      String thread0 = "t" + t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 100; i++) { // a site of its own each time: every request is an attempt
          String host = thread0 + "-" + i + ".example";
          raised.addAll(rules.evaluate(new AccessInput(T0.plusMillis(i), LONDON, "10.10.3.7", "sam", "ks3-4", host,
              "http://" + host + "/", List.of("gambling"), "block", "unacceptable", "m")));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(raised).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("repeated-attempts"));
  }
}
