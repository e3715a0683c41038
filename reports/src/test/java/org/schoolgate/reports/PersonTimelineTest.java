package org.schoolgate.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.reports.ReportsFixture.DSL;
import static org.schoolgate.reports.ReportsFixture.GOVERNOR;
import static org.schoolgate.reports.ReportsFixture.TECHNICIAN;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.reports.LogLines.Request;
import org.schoolgate.reports.people.Person;
import org.schoolgate.reports.people.PersonViews;
import org.schoolgate.reports.people.Timeline;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.AuditVisibility;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;

/**
 * The person timeline over a generated log whose answer is known: a news page with its furniture
 * (a stylesheet, a script on the site's CDN, a tracker, the page's own call), a search for a
 * self-harm phrase with an image under it, lines just inside and just outside ± 1 hour of an
 * alert, and another pupil's line in the window. Who may open it, and the audit of every look.
 */
class PersonTimelineTest {
  @RegisterExtension final ReportsFixture f = new ReportsFixture();

  /** Wednesday 25 November 2026 (GMT: local time = UTC). */
  static final Instant ALERT = Instant.parse("2026-11-25T10:05:00Z");
  static final Instant PAGE = Instant.parse("2026-11-25T10:00:00Z");

  @BeforeEach
  void writeLog() {
    f.log.write(get(ALERT.minus(Duration.ofMinutes(61)), "sam", "https://www.bbc.co.uk/sport"));
    f.log.write(get(PAGE, "sam", "https://www.bbc.co.uk/news"));
    f.log.write(get(PAGE.plusMillis(300), "sam", "https://www.bbc.co.uk/style.css"));
    f.log.write(get(PAGE.plusMillis(400), "sam", "https://static.files.bbci.co.uk/app.js?v=3"));
    f.log.write(get(PAGE.plusSeconds(1), "sam", "https://www.google-analytics.com/g/collect?id=1"));
    f.log.write(get(PAGE.plusSeconds(2), "sam", "https://www.bbc.co.uk/api/latest"));
    f.log.write(get(ALERT, "sam", "https://www.google.com/search?q=how+to+kill+myself").search("how to kill myself"));
    f.log.write(get(ALERT.plusSeconds(1), "sam", "https://www.gstatic.com/logo.png"));
    f.log.write(get(ALERT.plusSeconds(40), "ali", "https://example.org/"));
    f.log.write(get(ALERT.plus(Duration.ofMinutes(59)), "sam", "https://en.wikipedia.org/wiki/Samaritans"));
    f.log.write(get(ALERT.plus(Duration.ofMinutes(61)), "sam", "https://www.bbc.co.uk/weather"));
  }

  static Request get(Instant t, String user, String url) {
    String client = user.equals("sam") ? "10.20.0.5" : "10.20.0.6";
    return Request.get(t, user, client, "ks3-4", url, "allow", "default", List.of());
  }

  Alert raiseAlert() {
    f.clock.set(ALERT);
    Alert a = f.store.alerts().raise(new NewAlert(Alert.Severity.CRITICAL, "search-self-harm", Alert.Audience.DSL,
        "search by sam", "", "sam (ks3-4)", null, "search:1"), Actor.system("alerts"));
    f.clock.set(ReportsFixture.NOW);
    return a;
  }

  @Test
  void aroundAnAlertThePersonsHourEitherSideIsAPageALineWithTheFurnitureFoldedUnder() {
    Alert alert = raiseAlert();

    Timeline t = f.reports.aroundAlert(DSL, alert.id(), Duration.ofHours(1));

    assertThat(t.person()).isEqualTo(Person.user("sam"));
    assertThat(t.focus()).isEqualTo(ALERT);
    assertThat(t.requests()).as("sam's lines from 09:05 to 11:05").isEqualTo(8);
    assertThat(t.lines()).extracting(Timeline.Line::url).containsExactly("https://www.bbc.co.uk/news",
        "https://www.google.com/search?q=how+to+kill+myself", "https://en.wikipedia.org/wiki/Samaritans");
    assertThat(t.pages()).isEqualTo(3);

    Timeline.Line news = t.lines().get(0);
    assertThat(news.kind()).isEqualTo("page");
    assertThat(news.furnitureCount()).isEqualTo(4);
    assertThat(news.furniture()).extracting(Timeline.Item::why).containsExactly("asset (.css)", "asset (.js)",
        "tracker, advert or CDN host", "the page's own request (same site within 3 s)");

    Timeline.Line search = t.lines().get(1);
    assertThat(search.furnitureCount()).isEqualTo(1);
    assertThat(search.search().term()).isEqualTo("how to kill myself");
    assertThat(search.search().highlights()).anySatisfy(h -> {
      assertThat(h.theme()).isEqualTo("self-harm");
      assertThat(h.severity()).isEqualTo("critical");
      assertThat(h.phrase()).isEqualTo("kill myself");
      assertThat("how to kill myself".substring(h.start(), h.end())).isEqualTo("kill myself");
    });
  }

  @Test
  void anArbitraryWindowForADeviceReadsOnlyThatDevice() {
    Timeline t = f.reports.timeline(DSL, Person.client("10.20.0.6"), PAGE, PAGE.plus(Duration.ofHours(1)));

    assertThat(t.lines()).extracting(Timeline.Line::url).containsExactly("https://example.org/");
  }

  @Test
  void everyLookIsAuditedAndOnlyTheDslAndSeniorLeadersSeeWhoseActivityItWas() {
    Alert alert = raiseAlert();
    f.reports.aroundAlert(DSL, alert.id(), Duration.ofHours(1));

    List<AuditRecord> views = f.store.audit().query(new AuditTrail.Query(null, null, null, "history.", 0, 10));
    assertThat(views).hasSize(1);
    AuditRecord view = views.get(0);
    assertThat(view.type()).isEqualTo(PersonViews.TYPE);
    assertThat(view.actor()).isEqualTo("dsl");
    assertThat(view.target()).isEqualTo("history");
    assertThat(view.reason()).contains("user 'sam'").contains("alert " + alert.id());
    assertThat(view.after()).contains("\"user\":\"sam\"");

    Period today = f.reports.lastDays(2);
    AuditRecord seenByDsl = f.reports.audit(DSL, today, "history.", 10).records().get(0);
    assertThat(seenByDsl.reason()).contains("sam");
    List<AuditRecord> governor = f.reports.audit(GOVERNOR, today, "history.", 10).records();
    assertThat(governor).hasSize(1);
    AuditRecord seenByGovernor = governor.get(0);
    assertThat(seenByGovernor.reason()).isEqualTo(AuditVisibility.REDACTED);
    assertThat(seenByGovernor.after()).isNull();
    assertThat(seenByGovernor.toString()).doesNotContain("sam");
    assertThat(seenByGovernor.hash()).as("the chain is the same for every reader").isEqualTo(view.hash());
  }

  @Test
  void teachersSeeOnlyTheirOwnRequestsAndOthersNobodys() {
    Viewer teacher = ReportsFixture.viewer("sam", Role.TEACHER);
    Viewer otherTeacher = ReportsFixture.viewer("j.smith", Role.TEACHER);
    Instant from = PAGE;
    Instant to = PAGE.plus(Duration.ofHours(1));

    assertThat(f.reports.timeline(teacher, Person.user("sam"), from, to).lines()).isNotEmpty();
    assertThatThrownBy(() -> f.reports.timeline(otherTeacher, Person.user("sam"), from, to))
        .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.code()).isEqualTo("forbidden"))
        .hasMessageContaining("teachers see only their own requests");
    assertThatThrownBy(() -> f.reports.timeline(teacher, Person.client("10.20.0.5"), from, to))
        .isInstanceOf(ReportException.class);
    for (Viewer v : List.of(GOVERNOR, TECHNICIAN)) {
      assertThatThrownBy(() -> f.reports.timeline(v, Person.user("sam"), from, to))
          .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.code()).isEqualTo("forbidden"));
    }
    assertThat(f.store.audit().query(new AuditTrail.Query(null, null, null, "history.", 0, 10)))
        .as("refused looks read nothing and record nothing").hasSize(1);
  }

  @Test
  void aWindowLongerThanAWeekIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> f.reports.timeline(DSL, Person.user("sam"), PAGE, PAGE.plus(Duration.ofDays(8))))
        .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).isEqualTo("to"))
        .hasMessageContaining("expected: a shorter window");
  }
}
