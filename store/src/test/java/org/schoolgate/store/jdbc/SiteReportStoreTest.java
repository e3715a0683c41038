package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewSiteReport;
import org.schoolgate.store.Notification;
import org.schoolgate.store.Role;
import org.schoolgate.store.SiteReport;
import org.schoolgate.store.SiteReportStore;
import org.schoolgate.store.StoreException;

class SiteReportStoreTest {
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final Actor CLI = Actor.system("cli");
  private static final Actor ANONYMOUS = new Actor(null, SiteReport.ANONYMOUS, "10.20.3.4");

  private static NewSiteReport blocked(String url) {
    return new NewSiteReport(SiteReport.Kind.WRONGLY_BLOCKED, url, "www.ttrockstars.com", "we use it in maths",
        "10.20.3.4", "ks3-4", "{\"action\":\"block\",\"rule\":\"matrix\"}");
  }

  @DatabaseTest
  void anAnonymousReportIsStoredOpenAuditedAndReadableOnlyWithItsToken(TestDatabase db) throws Exception {
    SiteReportStore reports = db.store().siteReports();

    SiteReportStore.Made made = reports.report(blocked("http://www.ttrockstars.com/"), ANONYMOUS, true);

    assertThat(made.token()).hasSize(43);
    assertThat(made.report().status()).isEqualTo(SiteReport.Status.OPEN);
    assertThat(made.report().reporterId()).isNull();
    assertThat(reports.byToken(made.token())).contains(made.report());
    assertThat(reports.byToken(made.token().substring(1) + "A")).isEmpty();
    assertThat(reports.byToken("not a token")).isEmpty();
    try (Connection c = db.raw(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT token_hash FROM site_reports")) {
      rs.next();
      assertThat(rs.getString(1)).hasSize(64).isNotEqualTo(made.token()).isEqualTo(Tokens.sha256Hex(made.token()));
    }
    AuditRecord audit = db.store().audit().query(AuditTrail.Query.all()).get(0);
    assertThat(audit.type()).isEqualTo("site.reported");
    assertThat(audit.target()).isEqualTo("site-report:" + made.report().id());
    assertThat(audit.address()).isEqualTo("10.20.3.4");
    assertThat(audit.after()).contains("\"kind\":\"wrongly-blocked\"", "\"group\":\"ks3-4\"")
        .doesNotContain(made.token());
  }

  @DatabaseTest
  void technicansAreToldAndTheSignedInReporterGetsTheAnswer(TestDatabase db) {
    Account teacher = db.store().accounts().create("ms.jones", "Ms Jones", PASSWORD, Set.of(Role.TEACHER), CLI);
    Account tech = db.store().accounts().create("tech.tom", "Tom", PASSWORD, Set.of(Role.TECHNICIAN), CLI);
    SiteReportStore reports = db.store().siteReports();

    SiteReport r = reports.report(blocked("http://www.ttrockstars.com/"), Actor.of(teacher, null), false).report();
    SiteReport answered = reports.answer(r.id(), SiteReport.Status.CHANGED, "Added to the school's allow list.",
        Actor.of(tech, null));

    assertThat(db.store().notifications().list(tech.id(), false, 5)).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(Notification.Kinds.SITE_REPORTED);
      assertThat(n.subject()).isEqualTo("Site report 1: www.ttrockstars.com is wrongly blocked (reported by ms.jones)");
      assertThat(n.link()).isEqualTo("/site-reports/1");
    });
    assertThat(db.store().notifications().list(teacher.id(), false, 5)).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(Notification.Kinds.SITE_REPORT_ANSWERED);
      assertThat(n.subject()).isEqualTo("Your report 1 (www.ttrockstars.com): the filter was changed");
      assertThat(n.body()).isEqualTo("Added to the school's allow list.");
    });
    assertThat(answered.answeredBy()).isEqualTo("tech.tom");
    assertThat(reports.list(new SiteReportStore.Query(SiteReport.Status.OPEN, null, 10))).isEmpty();
    assertThat(reports.list(new SiteReportStore.Query(null, teacher.id(), 10))).containsExactly(answered);
  }

  @DatabaseTest
  void aReportIsAnsweredOnceWithWordsForTheReporter(TestDatabase db) {
    SiteReportStore reports = db.store().siteReports();
    SiteReport r = reports.report(blocked("http://www.ttrockstars.com/"), ANONYMOUS, true).report();

    assertThatThrownBy(() -> reports.answer(r.id(), SiteReport.Status.UNCHANGED, "  ", CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("answer"));
    assertThatThrownBy(() -> reports.answer(r.id(), SiteReport.Status.OPEN, "x", CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("status"));
    reports.answer(r.id(), SiteReport.Status.UNCHANGED, "It is a gaming site during lessons.", CLI);
    assertThatThrownBy(() -> reports.answer(r.id(), SiteReport.Status.CHANGED, "again", CLI))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo("conflict");
          assertThat(e.getMessage()).isEqualTo("site report 1 was answered already (unchanged by system:cli)");
        });
    List<String> types = db.store().audit().query(AuditTrail.Query.all()).stream().map(AuditRecord::type).toList();
    assertThat(types).containsExactlyInAnyOrder("site.reported", "site.report_answered");
  }
}
