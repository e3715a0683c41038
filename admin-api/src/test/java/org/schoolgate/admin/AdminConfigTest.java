package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminConfigTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void defaultsAreFourteenDayUnblocksAOneSecondTickAndNoSetup() {
    AdminConfig c = AdminConfig.defaults();

    assertThat(c.maxUnblock()).isEqualTo(Duration.ofDays(14));
    assertThat(c.unblockTick()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.setupToken()).isNull();
  }

  @Test
  void theSetupTokenNeverAppearsInTheTextForm() {
    AdminConfig c = AdminConfig.defaults().withSetupToken("a-secret-setup-token-123");

    assertThat(c.toString()).doesNotContain("a-secret-setup-token-123").contains("setupToken=(set)");
  }

  @Test
  void badValuesAreRefusedSayingWhatIsExpected() {
    assertThatThrownBy(() -> new AdminConfig(LOOPBACK, Duration.ofSeconds(30), null, null))
        .hasMessage("admin maxUnblock PT30S is too short (expected: at least 1 minute, e.g. P14D)");
    assertThatThrownBy(() -> new AdminConfig(LOOPBACK, null, null, Duration.ofHours(1)))
        .hasMessage("admin unblockTick PT1H is out of range (expected: 10 ms to 10 minutes, e.g. PT1S)");
    assertThatThrownBy(() -> new AdminConfig(LOOPBACK, null, "short", null))
        .hasMessage("admin setup token is too short (expected: at least 16 characters;"
            + " leave it unset to turn first-run setup off)");
  }
}
