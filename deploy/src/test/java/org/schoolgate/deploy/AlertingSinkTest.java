package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.alerts.AlertRules;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.store.NewAlert;

/**
 * The person the proxy identified reaches the alert rules: an access event with a signed-in user
 * becomes an alert input naming them and their group, and the DSL's alert names both.
 */
class AlertingSinkTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  @Test
  void anAlertFromASignedInPersonsRequestNamesThePersonAndTheirGroup() {
    AccessEvent event = new AccessEvent(Instant.parse("2026-11-23T10:00:00Z"), LONDON, "10.20.3.4", "alice",
        "ks3-4", "GET", "http", "illegal.example", 80, "/", null, List.of("child-abuse"), "block", "illegal",
        "matrix:child-abuse/ks3-4", "illegal content", null, null, null, 403, 0, 0, 3, "basic");

    AccessInput input = AlertingSink.toAlertInput(event);
    List<NewAlert> alerts = new AlertRules(AlertSettings.DEFAULTS).evaluate(input);

    assertThat(input.user()).isEqualTo("alice");
    assertThat(input.group()).isEqualTo("ks3-4");
    assertThat(alerts).isNotEmpty().allSatisfy(a -> {
      assertThat(a.subject()).contains("alice (ks3-4)");
      assertThat(a.who()).isEqualTo("alice (ks3-4)");
    });
  }
}
