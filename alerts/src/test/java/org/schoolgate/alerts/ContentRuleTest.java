package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.LONDON;
import static org.schoolgate.alerts.AlertRulesTest.T0;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/** The content rule: what content analysis alerted on or blocked becomes a {@code content-<theme>} alert for the DSL. */
class ContentRuleTest {
  private final AlertRules rules = new AlertRules(AlertSettings.DEFAULTS, AlertPolicy::defaults);

  private static AccessInput page(String action, AccessInput.Content content) {
    return new AccessInput(T0, LONDON, "10.10.3.7", "sam.pupil", "ks3-4", "journal.example",
        "http://journal.example/tonight", List.of(), action, "acceptable", "default", null, AccessInput.Kind.REQUEST,
        content);
  }

  @ParameterizedTest(name = "content {0} (request {1}, cut {2}, lifted by {3}) → {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      block | block | false | -                 | blocked
      block | block | true  | -                 | cut short
      alert | allow | false | -                 | shown
      alert | allow | false | school-allow-list | shown (allowed by the school-allow-list), would have been blocked
      """)
  void aPageThatAlertedOrWasBlockedRaisesAContentAlertForTheDsl(String contentAction, String action, boolean cut,
      String liftedBy, String done) {
    List<NewAlert> alerts = rules.evaluate(page(action, new AccessInput.Content(contentAction, "self-harm", 140, 100,
        List.of("want to die", "end it all"), liftedBy, cut, false, null, null)));

    assertThat(alerts).filteredOn(a -> a.kind().startsWith("content-")).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("content-self-harm");
      assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.subject()).startsWith("Page about self-harm " + done + " for sam.pupil (ks3-4)");
      assertThat(a.details()).contains("url: http://journal.example/tonight", "matched: want to die, end it all",
          "score: 140 (threshold 100)");
    });
  }

  @Test
  void anAiChatAlertShowsThePromptAndTheAnswer() {
    NewAlert a = rules.evaluate(page("block", new AccessInput.Content("block", "self-harm", 200, 100,
        List.of("end it all"), null, true, true, "nobody would miss me, how do I end it all",
        "You are right that nobody would miss you"))).get(0);

    assertThat(a.subject()).startsWith("AI chat about self-harm cut short for sam.pupil (ks3-4)");
    assertThat(a.details()).contains("prompt: nobody would miss me, how do I end it all",
        "answer: You are right that nobody would miss you");
  }

  @Test
  void aLoggedVerdictOrAFailedAnalysisRaisesNothing() {
    assertThat(rules.evaluate(page("allow", new AccessInput.Content("log", "drugs", 120, 100, List.of("weed"), null,
        false, false, null, null)))).isEmpty();
    assertThat(rules.evaluate(page("allow", new AccessInput.Content("log", null, 0, 0, List.of(), null, false, false,
        null, null)))).isEmpty();
  }

  @Test
  void everyContentKindIsKnownFromTheStart() {
    assertThat(AlertRules.kinds()).contains("content-self-harm", "content-pornography", "content-misinformation");
  }
}
