package org.schoolgate.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.testing.MutableClock;

class DigestScheduleTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  @ParameterizedTest(name = "after {0} → {1}")
  @CsvSource({
      "2026-11-22T12:00:00Z, 2026-11-23T07:00:00Z",   // Sunday → Monday 07:00 GMT
      "2026-11-23T06:59:59Z, 2026-11-23T07:00:00Z",
      "2026-11-23T07:00:00Z, 2026-11-30T07:00:00Z",   // exactly at the time → the week after
      "2026-11-25T07:00:00Z, 2026-11-30T07:00:00Z",
      "2027-03-27T12:00:00Z, 2027-03-29T06:00:00Z",   // clocks went forward on the 28th: 07:00 BST
      "2027-10-30T12:00:00Z, 2027-11-01T07:00:00Z",   // and back on the 31st: 07:00 GMT
  })
  void theNextSendTimeIsMondaySevenInTheSchoolsZone(String after, String expected) {
    DigestSchedule schedule = DigestSchedule.mondayMorning(LONDON, new MutableClock(Instant.parse(after)));

    assertThat(schedule.next()).isEqualTo(Instant.parse(expected));
  }

  @Test
  void aDigestCoversTheSevenLocalDaysBeforeItsSendDay() {
    DigestSchedule schedule = DigestSchedule.mondayMorning(LONDON, new MutableClock(Instant.EPOCH));

    DigestSchedule.Week week = schedule.weekBefore(Instant.parse("2026-11-23T07:00:00Z"));

    assertThat(week.firstDay()).isEqualTo(LocalDate.of(2026, 11, 16));
    assertThat(week.lastDay()).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(week.from()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
    assertThat(week.to()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    assertThat(week.previous().from()).isEqualTo(Instant.parse("2026-11-09T00:00:00Z"));
    DigestSchedule.Week summer = schedule.weekBefore(Instant.parse("2027-06-07T06:00:00Z"));
    assertThat(summer.from()).isEqualTo(Instant.parse("2027-05-30T23:00:00Z")); // midnight BST
  }
}
