package org.schoolgate.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The access log's time texts and days are exactly the JDK's, however events come. */
class InstantTextTest {
  private final InstantText times = new InstantText();

  @Test
  void textIsInstantToStringForEveryKindOfFraction() {
    SplittableRandom random = new SplittableRandom(12);
    long second = 1_796_000_000L;
    for (int i = 0; i < 200_000; i++) {
      second += random.nextInt(4) == 0 ? random.nextLong(-100_000, 100_000) : random.nextInt(2);
      int nano = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nano);
      assertThat(times.text(t)).isEqualTo(t.toString());
    }
    for (Instant t : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1, 5), Instant.MIN,
        Instant.MAX, Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("2026-12-07T11:20:00Z")}) {
      assertThat(times.text(t)).isEqualTo(t.toString());
    }
  }

  @Test
  void dayIsTheDateInTheEventsZoneAcrossMidnightsAndClockChanges() {
    ZoneId london = ZoneId.of("Europe/London");
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    SplittableRandom random = new SplittableRandom(16);
    // around the clock changes of 2026 (29 March, 25 October), forwards and back and forth
    long from = ZonedDateTime.of(2026, 3, 27, 0, 0, 0, 0, london).toEpochSecond();
    long to = ZonedDateTime.of(2026, 10, 27, 0, 0, 0, 0, london).toEpochSecond();
    long second = from;
    for (int i = 0; i < 100_000; i++) {
      second = random.nextInt(10) == 0 ? random.nextLong(from, to) : second + random.nextInt(600);
      ZoneId zone = random.nextInt(20) == 0 ? kolkata : london;
      Instant t = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
      assertThat(times.day(t, zone)).as("%s in %s", t, zone).isEqualTo(t.atZone(zone).toLocalDate());
    }
  }
}
