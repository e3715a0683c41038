package org.schoolgate.admin.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "10.10.1.23,   10.10.1.23",
    "' 10.0.0.1 ', 10.0.0.1",
    "255.255.255.255, 255.255.255.255",
    "fd00::1,      fd00:0:0:0:0:0:0:1",
    "[::1],        0:0:0:0:0:0:0:1",
    "::ffff:10.0.0.1, 10.0.0.1",
  })
  void clientAcceptsIpLiterals(String text, String address) {
    assertThat(Inputs.client(text, "client").getHostAddress()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0", "10.0.0.256", "10.0.0.1.2", "localhost", "school.example", "::g", "1:2:3:4:5:6:7:8:9", "[::1"})
  void clientRefusesAnythingButAnIpLiteralWithoutLookingItUp(String text) {
    assertThatThrownBy(() -> Inputs.client(text, "client"))
        .isInstanceOf(InputException.class)
        .hasMessage("client '" + text + "' is not an IP address"
            + " (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2026-11-23T12:30,             2026-11-23T12:30:00Z",
    "2026-07-01T12:30,             2026-07-01T11:30:00Z",
    "2026-07-01T12:30:15,          2026-07-01T11:30:15Z",
    "2026-11-23T12:30:00Z,         2026-11-23T12:30:00Z",
    "2026-11-23T12:30+01:00,       2026-11-23T11:30:00Z",
    "2026-07-01T12:30+01:00[Europe/London], 2026-07-01T11:30:00Z",
  })
  void atIsLocalTimeInThePolicyZoneOrIsoWithAnOffset(String text, String instant) {
    assertThat(Inputs.at(text, LONDON, CLOCK, "at")).isEqualTo(Instant.parse(instant));
  }

  @Test
  void anAbsentAtMeansNow() {
    assertThat(Inputs.at(null, LONDON, CLOCK, "at")).isEqualTo(CLOCK.instant());
    assertThat(Inputs.at(" ", LONDON, CLOCK, "at")).isEqualTo(CLOCK.instant());
  }

  @Test
  void aMissingClientIsReportedWithTheCallersName() {
    assertThatThrownBy(() -> Inputs.client(null, "--client"))
        .isInstanceOfSatisfying(InputException.class, e -> {
          assertThat(e.code()).isEqualTo(InputException.MISSING);
          assertThat(e.field()).isEqualTo("--client");
          assertThat(e.getMessage()).isEqualTo(
              "--client is required (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)");
        });
  }

  @Test
  void clientNeverResolvesNames() throws Exception {
    // "localhost" would resolve if passed to InetAddress.getByName; it must be refused instead.
    assertThatThrownBy(() -> Inputs.client("localhost", "client")).isInstanceOf(InputException.class);
    assertThat(Inputs.client("127.0.0.1", "client")).isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
  }
}
