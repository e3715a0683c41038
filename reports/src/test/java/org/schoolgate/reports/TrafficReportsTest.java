package org.schoolgate.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.reports.ReportsFixture.DSL;
import static org.schoolgate.reports.ReportsFixture.GOVERNOR;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.reports.LogLines.Request;
import org.schoolgate.reports.logdb.LogMaintenance;
import org.schoolgate.reports.traffic.Bucket;
import org.schoolgate.reports.traffic.TrafficReports;

/**
 * Traffic reports over a generated access log whose answers are known: three days (two finished,
 * one today), blocks in four categories for three groups, allowed traffic and DNS lines that must
 * not count. The same answers come from the JSON lines and, after conversion, from Parquet.
 */
class TrafficReportsTest {
  @RegisterExtension final ReportsFixture f = new ReportsFixture();

  static final Instant MON = Instant.parse("2026-11-23T09:00:00Z");
  static final Instant TUE = Instant.parse("2026-11-24T11:00:00Z");
  static final Instant THU = Instant.parse("2026-11-26T10:00:00Z");

  @BeforeEach
  void writeLog() {
    for (int i = 0; i < 4; i++) {
      f.log.write(block(MON.plusSeconds(i), "sam", "10.20.0.5", "ks3-4", "https://www.bet365.com/", "gambling"));
    }
    for (int i = 0; i < 3; i++) {
      f.log.write(block(MON.plusSeconds(60 + i), "ali", "10.20.0.6", "ks3-4", "https://bet365.com/live", "gambling"));
    }
    f.log.write(block(MON.plusSeconds(120), "ali", "10.20.0.6", "ks3-4", "http://adult.example/", "pornography"));
    f.log.write(block(MON.plusSeconds(121), "ali", "10.20.0.6", "ks3-4", "http://adult.example/x", "pornography"));
    for (int i = 0; i < 3; i++) {
      f.log.write(block(MON.plusSeconds(200 + i), null, "10.10.0.5", "ks2", "http://williamhill.com/", "gambling"));
    }
    for (int i = 0; i < 20; i++) {
      f.log.write(Request.get(MON.plusSeconds(300 + i), "sam", "10.20.0.5", "ks3-4", "http://example.com/" + i,
          "allow", "default", List.of()));
    }
    for (int i = 0; i < 5; i++) {
      f.log.dns(MON.plusSeconds(400 + i), "10.20.0.5", "sam", "ks3-4", "www.bet365.com", "block");
    }
    for (int i = 0; i < 6; i++) {
      f.log.write(block(TUE.plusSeconds(i), "sam", "10.20.0.5", "ks3-4", "https://www.bet365.com/", "gambling"));
    }
    f.log.write(Request.get(TUE.plusSeconds(30), "j.smith", "10.30.0.2", "staff", "http://blocked.example/",
        "block", "school-block-list", List.of()));
    for (int i = 0; i < 5; i++) {
      f.log.write(block(THU.plusSeconds(i), "kim", "10.20.0.9", "ks3-4", "https://youtube.com/watch?v=" + i,
          "video-broadcasting"));
    }
  }

  static Request block(Instant t, String user, String client, String group, String url, String category) {
    return Request.get(t, user, client, group, url, "block", "matrix:" + category + "/" + group, List.of(category));
  }

  Period monToThu() {
    return Period.days(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 26), LogLines.LONDON);
  }

  @Test
  void blockedRequestsCountOnceUnderTheCategoryThatDecidedThemPerGroupAndDay() {
    TrafficReports.BlockedOverTime r = f.reports.blocked(DSL, monToThu(), Bucket.DAY);

    assertThat(r.total().value()).isEqualTo(24);
    assertThat(totals(r.byCategory())).containsExactly(Map.entry("gambling", 16L),
        Map.entry("video-broadcasting", 5L), Map.entry("pornography", 2L), Map.entry("school-block-list", 1L));
    assertThat(totals(r.byGroup())).containsExactly(Map.entry("ks3-4", 20L), Map.entry("ks2", 3L),
        Map.entry("staff", 1L));
    assertThat(r.buckets()).hasSize(4);
    assertThat(r.buckets().get(0).toLocalDate()).isEqualTo(LocalDate.of(2026, 11, 23));
    TrafficReports.Series gambling = r.series().stream()
        .filter(s -> s.group().equals("ks3-4") && s.category().equals("gambling")).findFirst().orElseThrow();
    assertThat(gambling.counts().stream().map(Count::value)).containsExactly(7L, 6L, 0L, 0L);
  }

  @Test
  void byHourTheSeriesHasEveryHourOfThePeriodAndTheBlocksInTheirHour() {
    Period thursday = Period.days(LocalDate.of(2026, 11, 26), LocalDate.of(2026, 11, 26), LogLines.LONDON);
    TrafficReports.BlockedOverTime r = f.reports.blocked(DSL, thursday, Bucket.HOUR);

    assertThat(r.buckets()).hasSize(24);
    TrafficReports.Series video = r.series().get(0);
    assertThat(video.category()).isEqualTo("video-broadcasting");
    assertThat(video.counts().get(10).value()).isEqualTo(5);
    assertThat(video.counts().stream().mapToLong(Count::value).sum()).isEqualTo(5);
  }

  @Test
  void topBlockedSitesAreOrderedByBlocksWithHowManyPeople() {
    TrafficReports.TopSites top = f.reports.topBlocked(DSL, monToThu(), 10);

    assertThat(top.sites()).extracting(TrafficReports.Site::host)
        .containsExactly("www.bet365.com", "youtube.com", "bet365.com", "williamhill.com", "adult.example",
            "blocked.example");
    TrafficReports.Site first = top.sites().get(0);
    assertThat(first.blocked().value()).isEqualTo(10);
    assertThat(first.people().value()).isEqualTo(1);
    assertThat(first.category()).isEqualTo("gambling");
    assertThat(top.blockedRequests().value()).isEqualTo(24);
  }

  @Test
  void governorsSeeSmallCountsAsFewerThanFive() {
    TrafficReports.BlockedOverTime r = f.reports.blocked(GOVERNOR, monToThu(), Bucket.DAY);

    Map<String, String> shown = r.byCategory().stream()
        .collect(Collectors.toMap(TrafficReports.Total::label, t -> t.count().toString()));
    assertThat(shown).containsEntry("gambling", "16").containsEntry("video-broadcasting", "5")
        .containsEntry("pornography", "fewer than 5").containsEntry("school-block-list", "fewer than 5");
    assertThat(r.byCategory().get(2).count().json()).isEqualTo("fewer than 5");

    TrafficReports.TopSites top = f.reports.topBlocked(GOVERNOR, monToThu(), 10);
    assertThat(top.sites().get(0).people().toString()).isEqualTo("fewer than 5");
  }

  @Test
  void bypassesNamePeopleOnlyForTheDslAndCountTunnelChecksAndBypassSites() {
    f.log.write(Request.connect(TUE.plusSeconds(100), "ali", "10.20.0.6", "ks3-4", "vpn.example", "block",
        "matrix:filter-bypass/ks3-4", List.of("filter-bypass")));
    f.log.write(Request.connect(TUE.plusSeconds(101), "ali", "10.20.0.6", "ks3-4", "example.org", "block",
        "sni-mismatch", List.of()));

    TrafficReports.Bypasses dsl = f.reports.bypasses(DSL, monToThu(), 10);
    assertThat(totals(dsl.byKind())).containsOnly(Map.entry("bypass-site", 1L), Map.entry("tunnel-check", 1L));
    assertThat(dsl.people()).extracting(TrafficReports.Person::who).containsExactly("ali");

    TrafficReports.Bypasses governor = f.reports.bypasses(GOVERNOR, monToThu(), 10);
    assertThat(governor.people()).isEmpty();
  }

  @Test
  void finishedDaysAreConvertedToParquetAndGiveTheSameAnswers() throws Exception {
    TrafficReports.BlockedOverTime before = f.reports.blocked(DSL, monToThu(), Bucket.DAY);

    LogMaintenance.Round round = f.reports.maintenance().runOnce();

    assertThat(round.converted()).containsExactly(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
    assertThat(f.logs.resolve(AccessLogFiles.parquet(LocalDate.of(2026, 11, 23)))).exists();
    assertThat(f.logs.resolve(AccessLogFiles.parquet(LocalDate.of(2026, 11, 26)))).doesNotExist();
    TrafficReports.BlockedOverTime after = f.reports.blocked(DSL, monToThu(), Bucket.DAY);
    assertThat(after.byCategory()).isEqualTo(before.byCategory());
    assertThat(after.series()).isEqualTo(before.series());
    assertThat(f.reports.maintenance().runOnce().converted()).as("up to date: nothing to do").isEmpty();
  }

  @Test
  void theSummariesOfFinishedDaysGiveTheSameAnswersAsTheLines() throws Exception {
    f.log.write(Request.connect(TUE.plusSeconds(100), "ali", "10.20.0.6", "ks3-4", "vpn.example", "block",
        "matrix:filter-bypass/ks3-4", List.of("filter-bypass")));
    f.log.write(Request.connect(THU.plusSeconds(101), "ali", "10.20.0.6", "ks3-4", "example.org", "block",
        "sni-mismatch", List.of()));
    Period partial = new Period(MON.plusSeconds(61), THU.plusSeconds(3), LogLines.LONDON);
    List<Object> fromLines = List.of(f.reports.topBlocked(DSL, monToThu(), 10), f.reports.topBlocked(GOVERNOR,
        partial, 3), f.reports.bypasses(DSL, monToThu(), 10), f.reports.bypasses(GOVERNOR, partial, 10),f.reports.blocked(DSL, monToThu(), Bucket.DAY),
        f.reports.blocked(DSL, monToThu(), Bucket.HOUR), f.reports.blocked(DSL, monToThu(), Bucket.WEEK),
        f.reports.blocked(GOVERNOR, monToThu(), Bucket.DAY), f.reports.blocked(DSL, partial, Bucket.HOUR));

    f.reports.maintenance().runOnce();
    java.nio.file.Path monday = f.logs.resolve(org.schoolgate.reports.logdb.DaySummary.HOURS.name(LocalDate.of(2026, 11, 23)));
    assertThat(monday).exists();
    assertThat(Files.getLastModifiedTime(monday))
        .isEqualTo(Files.getLastModifiedTime(f.logs.resolve(AccessLogFiles.parquet(LocalDate.of(2026, 11, 23)))));
    assertThat(f.logs.resolve(org.schoolgate.reports.logdb.DaySummary.SITES.name(LocalDate.of(2026, 11, 26))))
        .as("today is not finished").doesNotExist();

    List<Object> fromSummaries = List.of(f.reports.topBlocked(DSL, monToThu(), 10), f.reports.topBlocked(GOVERNOR,
        partial, 3), f.reports.bypasses(DSL, monToThu(), 10), f.reports.bypasses(GOVERNOR, partial, 10),f.reports.blocked(DSL, monToThu(), Bucket.DAY),
        f.reports.blocked(DSL, monToThu(), Bucket.HOUR), f.reports.blocked(DSL, monToThu(), Bucket.WEEK),
        f.reports.blocked(GOVERNOR, monToThu(), Bucket.DAY), f.reports.blocked(DSL, partial, Bucket.HOUR));
    assertThat(fromSummaries).isEqualTo(fromLines);
    assertThat(((TrafficReports.BlockedOverTime) fromSummaries.get(8)).total().value())
        .as("the partial period: Monday from ali's second block, Thursday's first three").isEqualTo(2 + 2 + 3 + 8 + 3);
    assertThat(((TrafficReports.Bypasses) fromSummaries.get(2)).total().value()).isEqualTo(2);

    // the whole days are answered from the summaries: without Monday's Parquet copy the answer stands
    Files.delete(f.logs.resolve(AccessLogFiles.parquet(LocalDate.of(2026, 11, 23))));
    Files.writeString(f.logs.resolve(AccessLogFiles.jsonLines(LocalDate.of(2026, 11, 23))), "");
    Files.setLastModifiedTime(f.logs.resolve(AccessLogFiles.jsonLines(LocalDate.of(2026, 11, 23))),
        Files.getLastModifiedTime(monday));
    assertThat(f.reports.blocked(DSL, monToThu(), Bucket.DAY)).isEqualTo(fromLines.get(4));
    assertThat(f.reports.topBlocked(DSL, monToThu(), 10)).isEqualTo(fromLines.get(0));
  }

  @Test
  void aLateLineMakesTheCopyStaleSoReportsReadTheLinesUntilItIsConvertedAgain() throws Exception {
    f.reports.maintenance().runOnce();
    java.nio.file.Path json = f.logs.resolve(AccessLogFiles.jsonLines(LocalDate.of(2026, 11, 24)));
    f.log.write(block(TUE.plusSeconds(500), "sam", "10.20.0.5", "ks3-4", "https://www.bet365.com/", "gambling"));
    Files.setLastModifiedTime(json, java.nio.file.attribute.FileTime.from(
        Files.getLastModifiedTime(json).toInstant().plus(Duration.ofSeconds(5))));

    assertThat(f.reports.blocked(DSL, monToThu(), Bucket.DAY).total().value()).isEqualTo(25);
    assertThat(f.reports.maintenance().runOnce().converted()).containsExactly(LocalDate.of(2026, 11, 24));
    assertThat(f.reports.blocked(DSL, monToThu(), Bucket.DAY).total().value()).isEqualTo(25);
  }

  @Test
  void aCutLineIsSkippedAndCountedWhenTheDayIsConverted() {
    f.log.raw(TUE.plusSeconds(900), "{\"time\":\"2026-11-24T11:15:00Z\",\"client\":\"10.2\n");

    LogMaintenance.Round round = f.reports.maintenance().runOnce();

    assertThat(round.unreadableLines()).isEqualTo(1);
    assertThat(f.registry.get("schoolgate.reports.lines.unreadable").counter().count()).isEqualTo(1);
    assertThat(f.reports.blocked(DSL, monToThu(), Bucket.DAY).total().value()).isEqualTo(24);
  }

  @Test
  void teachersCannotOpenAggregateReports() {
    assertThatThrownBy(() -> f.reports.blocked(ReportsFixture.viewer("t", org.schoolgate.store.Role.TEACHER),
        monToThu(), Bucket.DAY))
        .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.code()).isEqualTo("forbidden"))
        .hasMessage("the blocked-requests report needs one of: governor, senior-leader, dsl, technician");
  }

  static Map<String, Long> totals(List<TrafficReports.Total> totals) {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    totals.forEach(t -> m.put(t.label(), t.count().value()));
    return m;
  }
}
