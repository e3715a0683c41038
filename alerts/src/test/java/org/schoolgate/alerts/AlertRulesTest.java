package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

class AlertRulesTest {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final Instant T0 = Instant.parse("2026-07-06T09:00:00Z");

  private final AlertRules rules = new AlertRules(AlertSettings.DEFAULTS);

  static AccessInput blocked(Instant at, String user, String category, String level, String rule) {
    return new AccessInput(at, LONDON, "10.10.3.7", user, "ks3-4", category + ".example",
        "http://" + category + ".example/page", List.of(category), "block", level, rule);
  }

  @ParameterizedTest(name = "{0} / level {1} / rule {2} / action {3} → {4} {5} {6}")
  @CsvSource({
      "extreme-pornography, illegal,      illegal-category,              block, critical, dsl,         illegal-category",
      "child-grooming,      illegal,      illegal-category:x,            block, critical, dsl,         illegal-category",
      "filter-bypass,       unacceptable, matrix:filter-bypass/ks3-4,    block, warning,  technicians, circumvention",
      "news,                ,             sni-mismatch,                  block, warning,  technicians, circumvention",
      "news,                ,             ip-literal,                    block, warning,  technicians, circumvention",
      "news,                ,             ech,                           block, warning,  technicians, circumvention",
      "news,                unacceptable, internal-destination,          block, warning,  technicians, circumvention",
      "news,                acceptable,   internal-destination,          allow, ,         ,            ",
      "gambling,            unacceptable, matrix:gambling/ks3-4,         block, ,         ,            ",
      "extreme-pornography, illegal,      illegal-category,              allow, ,         ,            ",
      "news,                ,             tunnel-port,                   block, ,         ,            ",
  })
  void aSingleEventRaisesTheAlertItsRuleCallsFor(String category, String level, String rule, String action,
      String severity, String audience, String kind) {
    AccessInput e = new AccessInput(T0, LONDON, "10.10.3.7", "sam.pupil", "ks3-4", category + ".example",
        "http://" + category + ".example/", List.of(category), action, level, rule);
    List<NewAlert> alerts = rules.evaluate(e);
    if (kind == null) {
      assertThat(alerts).isEmpty();
      return;
    }
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(kind);
      assertThat(a.severity().apiName()).isEqualTo(severity);
      assertThat(a.audience().apiName()).isEqualTo(audience);
      assertThat(a.who()).isEqualTo("sam.pupil (ks3-4)");
    });
  }

  @Test
  void anIllegalAttemptNamesWhoWhenInTheSchoolsZoneTheHostAndTheCategory() {
    NewAlert a = rules.evaluate(blocked(T0, null, "extreme-pornography", "illegal", "illegal-category")).get(0);
    assertThat(a.subject()).contains("client 10.10.3.7 (ks3-4)").contains("10:00:00") // BST
        .contains("extreme-pornography.example").contains("(extreme-pornography)");
    assertThat(a.details()).contains("http://extreme-pornography.example/page");
    assertThat(a.idempotencyKey()).startsWith("illegal:" + T0.toEpochMilli() + ":10.10.3.7:");
  }

  @ParameterizedTest(name = "{0}: {1} attempts in 10 minutes → an alert on attempt {2}")
  @CsvSource({"pornography, 6, 5", "extremism, 4, 3", "gambling, 4, 0"})
  void repeatedAttemptsRaiseOneAlertWhenTheThresholdIsReached(String category, int attempts, int alertOn) {
    List<Integer> raisedOn = new ArrayList<>();
    for (int i = 1; i <= attempts; i++) {
      List<NewAlert> out = rules.evaluate(blocked(T0.plus(Duration.ofMinutes(i)), "sam", category,
          "unacceptable", "matrix:" + category + "/ks3-4"));
      if (!out.isEmpty()) {
        raisedOn.add(i);
        NewAlert a = out.get(0);
        assertThat(a.kind()).isEqualTo("repeated-attempts");
        assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
        assertThat(a.audience()).isEqualTo(Alert.Audience.DSL);
        assertThat(a.details().lines().filter(l -> l.startsWith("  "))).hasSize(i);
        assertThat(a.idempotencyKey()).isEqualTo("repeated:sam:" + category + ":"
            + T0.plus(Duration.ofMinutes(1)).toEpochMilli());
      }
    }
    assertThat(raisedOn).isEqualTo(alertOn == 0 ? List.of() : List.of(alertOn));
  }

  @Test
  void aBrowsersSeveralRequestsForOneBlockedPageAreOneAttempt() {
    int alerts = 0;
    for (int visit = 0; visit < 4; visit++) { // four visits a minute apart, five requests each
      for (int request = 0; request < 5; request++) {
        alerts += rules.evaluate(blocked(T0.plus(Duration.ofMinutes(visit)).plusMillis(200L * request), "sam",
            "pornography", "unacceptable", "matrix:pornography/ks3-4")).size();
      }
    }
    assertThat(alerts).as("4 visits are 4 attempts, under the threshold of 5").isZero();
    alerts += rules.evaluate(blocked(T0.plus(Duration.ofMinutes(4)), "sam", "pornography", "unacceptable",
        "matrix:pornography/ks3-4")).size();
    assertThat(alerts).as("the fifth visit").isEqualTo(1);
  }

  @Test
  void attemptsSpreadWiderThanTheWindowNeverAddUp() {
    for (int i = 0; i < 10; i++) {
      assertThat(rules.evaluate(blocked(T0.plus(Duration.ofMinutes(3L * i)), "sam", "pornography",
          "unacceptable", "matrix:pornography/ks3-4"))).isEmpty();
    }
  }

  @Test
  void afterTheWindowOfAnAlertANewRunOfAttemptsAlertsAgain() {
    int alerts = 0;
    for (int i = 0; i < 12; i++) { // one a minute: 5 → alert (window from minute 0), quiet until 10, then 10..14
      alerts += rules.evaluate(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4")).size();
    }
    assertThat(alerts).isEqualTo(1);
    for (int i = 12; i < 15; i++) {
      alerts += rules.evaluate(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4")).size();
    }
    assertThat(alerts).isEqualTo(2);
  }

  @Test
  void differentPeopleAreCountedApart() {
    int alerts = 0;
    for (int i = 0; i < 8; i++) {
      alerts += rules.evaluate(blocked(T0.plus(Duration.ofSeconds(i)), i % 2 == 0 ? "sam" : "alex",
          "pornography", "unacceptable", "matrix:pornography/ks3-4")).size();
    }
    assertThat(alerts).isZero();
  }

  @Test
  void circumventionIsGroupedPerPersonPerTenMinutes() {
    List<NewAlert> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // every 40 s for ~13 minutes
      all.addAll(rules.evaluate(blocked(T0.plus(Duration.ofSeconds(40L * i)), "sam", "news", null, "sni-mismatch")));
    }
    assertThat(all).filteredOn(a -> a.audience() == Alert.Audience.TECHNICIANS)
        .extracting(NewAlert::idempotencyKey).containsExactly("circumvention:sam:" + T0.toEpochMilli(),
            "circumvention:sam:" + T0.plusSeconds(600).toEpochMilli());
  }

  @Test
  void aRefusedInternalDestinationSaysWhatWasTriedAndIsGroupedLikeOtherCircumvention() {
    List<NewAlert> first = rules.evaluate(new AccessInput(T0, LONDON, "10.10.3.7", null, "ks3-4",
        "127.0.0.1", "http://127.0.0.1:8080/metrics", List.of(), "block", "unacceptable",
        "internal-destination"));
    List<NewAlert> second = rules.evaluate(new AccessInput(T0.plusSeconds(60), LONDON, "10.10.3.7",
        null, "ks3-4", "169.254.169.254", "http://169.254.169.254/latest/meta-data/", List.of(),
        "block", "unacceptable", "internal-destination"));

    assertThat(first).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("circumvention");
      assertThat(a.audience()).isEqualTo(Alert.Audience.TECHNICIANS);
      assertThat(a.subject()).contains("an address inside the school's network or on the filter"
          + " itself (127.0.0.1)");
      assertThat(a.details()).contains("url: http://127.0.0.1:8080/metrics")
          .contains("rule: internal-destination");
    });
    assertThat(second).isEmpty(); // one per person per window
  }

  @Test
  void stateForPeopleWhoStoppedIsForgotten() {
    rules.evaluate(blocked(T0, "sam", "pornography", "unacceptable", "matrix:pornography/ks3-4"));
    rules.evaluate(blocked(T0, "sam", "news", null, "ech"));
    assertThat(rules.tracked()).isEqualTo(4); // two categories, one circumvention window, one burst

    rules.prune(T0.plus(Duration.ofMinutes(30)));
    assertThat(rules.tracked()).isZero();
  }

  static AccessInput lookup(Instant at, String name, String category, String level, String rule) {
    return AccessInput.dns(at, LONDON, "10.10.3.7", null, "ks3-4", name, "A", List.of(category), "block", level,
        rule);
  }

  @Test
  void aDevicesRepeatedLookupsOfOneBlockedNameAreOneAttempt() {
    List<NewAlert> raised = new ArrayList<>();
    // the same name every 20 seconds for 9 minutes (A and AAAA, re-queries as the TTL runs out)
    for (int i = 0; i < 27; i++) {
      raised.addAll(rules.evaluate(lookup(T0.plusSeconds(20L * i), "www.bet365.com", "gambling", "unacceptable",
          "matrix:gambling/ks3-4")));
    }
    assertThat(raised).isEmpty(); // one attempt, not 27: no repeated-attempts, no burst
    // five different gambling names within the window are five attempts
    for (int i = 1; i <= 4; i++) {
      raised.addAll(rules.evaluate(lookup(T0.plusSeconds(530 + i), "casino" + i + ".example", "gambling",
          "unacceptable", "matrix:gambling/ks3-4")));
    }
    assertThat(raised).extracting(NewAlert::kind).containsExactly("repeated-attempts");
    assertThat(raised.get(0).details()).contains("www.bet365.com (DNS A lookup)");
  }

  @Test
  void anIllegalNameLookedUpAgainRaisesOneCriticalAlertPerWindow() {
    List<NewAlert> first = rules.evaluate(lookup(T0, "extreme-pornography.example", "extreme-pornography",
        "illegal", "illegal-category"));
    List<NewAlert> again = rules.evaluate(lookup(T0.plusSeconds(1), "extreme-pornography.example",
        "extreme-pornography", "illegal", "illegal-category"));
    List<NewAlert> later = rules.evaluate(lookup(T0.plus(Duration.ofMinutes(11)), "extreme-pornography.example",
        "extreme-pornography", "illegal", "illegal-category"));
    assertThat(first).extracting(NewAlert::kind).containsExactly("illegal-category");
    assertThat(first.get(0).severity()).isEqualTo(Alert.Severity.CRITICAL);
    assertThat(again).isEmpty();
    assertThat(later).extracting(NewAlert::kind).containsExactly("illegal-category");
  }

  @Test
  void aDohResolversNameIsCircumventionForTechnicians() {
    List<NewAlert> alerts = rules.evaluate(lookup(T0, "dns.google", "filter-bypass", "unacceptable",
        "matrix:filter-bypass/ks3-4"));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("circumvention");
      assertThat(a.audience()).isEqualTo(Alert.Audience.TECHNICIANS);
      assertThat(a.subject()).contains("dns.google");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"dns-canary", "dns-https-record", "dns-any", "dns-not-client"})
  void theResolversOwnAnswersAreNoAttempt(String rule) {
    List<NewAlert> raised = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      raised.addAll(rules.evaluate(AccessInput.dns(T0.plusSeconds(i), LONDON, "10.10.3.7", null, "ks3-4",
          "name" + i + ".example", "HTTPS", List.of(), "block", null, rule)));
    }
    assertThat(raised).isEmpty();
  }

  @Test
  void aLookupAndTheRequestThatFollowsItAreOneVisit() {
    List<NewAlert> raised = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Instant t = T0.plus(Duration.ofMinutes(i));
      String host = "casino" + i + ".example";
      raised.addAll(rules.evaluate(AccessInput.dns(t, LONDON, "10.10.3.7", null, "ks3-4", host, "A",
          List.of("gambling"), "block", "unacceptable", "matrix:gambling/ks3-4")));
      raised.addAll(rules.evaluate(new AccessInput(t.plusSeconds(1), LONDON, "10.10.3.7", null, "ks3-4", host,
          "http://" + host + "/", List.of("gambling"), "block", "unacceptable", "matrix:gambling/ks3-4")));
    }
    // five visits (lookup + request each) reach the threshold of 5 once, on the fifth visit
    assertThat(raised).extracting(NewAlert::kind).containsExactly("repeated-attempts");
    assertThat(raised.get(0).subject()).startsWith("5 blocked attempts at gambling");
  }
}
