package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.Notification;
import org.schoolgate.store.Role;
import org.schoolgate.store.UnblockRecord;

/**
 * Notification emails (unblock requests for approvers, decisions for the teacher) through the
 * alert delivery worker to a real GreenMail server: console links, never JSON routes; retried
 * like alerts while the mail server is down.
 */
class NotificationEmailTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final URI ADMIN = URI.create("https://filter.school.example/");

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  private Outbox outbox;
  private Account teacher;
  private Account tech;

  @BeforeEach
  void open() {
    outbox = new Outbox(dir.resolve("data"));
    teacher = outbox.store.accounts().create("ms.jones", "Ms Jones", PASSWORD, Set.of(Role.TEACHER), Outbox.RAISER);
    tech = outbox.store.accounts().create("tech.tom", "Tom", PASSWORD, Set.of(Role.TECHNICIAN), Outbox.RAISER);
    outbox.store.notifications().setEmail(teacher.id(), "ms.jones@school.example", Outbox.RAISER);
    outbox.store.notifications().setEmail(tech.id(), "tech.tom@school.example", Outbox.RAISER);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private static DeliveryConfig config(int port) {
    return DeliveryConfig.of(new SmtpSettings("127.0.0.1", port, SmtpSettings.Security.OFF, null, null, null,
        "schoolgate@school.example", Duration.ofSeconds(5), Duration.ofSeconds(10), null), List.of(), List.of())
        .withAdminUrl(ADMIN);
  }

  private UnblockRecord request() {
    return outbox.store.unblocks().request(new NewUnblock(new UnblockTarget.Domain("bbc.co.uk"),
        new UnblockScope(Set.of(new GroupId("ks2")), Set.of(), List.of()), Outbox.T0, Outbox.T0.plusSeconds(3600),
        "Year 6 Romans topic", false, "video-broadcasting"), Actor.of(teacher, "10.1.4.20"));
  }

  @Test
  void theTechnicianIsEmailedANewRequestAtOnceAndTheTeacherTheDecisionWithConsoleLinks() throws Exception {
    outbox.start(config(mail.getSmtp().getPort()));

    UnblockRecord r = request();

    Eventually.within(WAIT, () -> assertThat(mail.getReceivedMessages()).hasSize(1));
    MimeMessage toTech = mail.getReceivedMessages()[0];
    assertThat(toTech.getAllRecipients()).extracting(Object::toString).containsExactly("tech.tom@school.example");
    assertThat(toTech.getSubject()).isEqualTo("[Schoolgate] Unblock request " + r.id()
        + ": domain:bbc.co.uk for groups ks2 (asked by ms.jones)");
    assertThat((String) toTech.getContent()).contains("Reason: Year 6 Romans topic",
        "Open: https://filter.school.example/unblocks/" + r.id(),
        "All your notifications: https://filter.school.example/notifications").doesNotContain("/api/");
    assertThat(toTech.getHeader(NotificationMailer.NOTIFICATION_HEADER)).containsExactly("unblock-requested:1");

    outbox.store.unblocks().approve(r.id(), Actor.of(tech, "10.1.0.5"), "fine for the lesson");

    Eventually.within(WAIT, () -> assertThat(mail.getReceivedMessages()).hasSize(2));
    MimeMessage toTeacher = mail.getReceivedMessages()[1];
    assertThat(toTeacher.getAllRecipients()).extracting(Object::toString).containsExactly("ms.jones@school.example");
    assertThat(toTeacher.getSubject()).isEqualTo("[Schoolgate] Your unblock request " + r.id()
        + " (domain:bbc.co.uk) was approved by tech.tom");
    assertThat((String) toTeacher.getContent()).contains("Note: fine for the lesson",
        "Open: https://filter.school.example/unblocks/" + r.id());
    Eventually.within(WAIT, () -> assertThat(outbox.store.notifications().list(teacher.id(), false, 5).get(0)
        .emailState()).isEqualTo(Notification.EmailState.SENT));
    assertThat(outbox.registry.find(DeliveryMetrics.NOTIFICATION_EMAILS).tag("outcome", "sent").counter().count())
        .isEqualTo(2);
  }

  @Test
  void aMailServerThatIsDownIsRetriedWithTheAlertsBackoffAndTheEmailSentOnceItIsBack() throws Exception {
    int port = mail.getSmtp().getPort();
    mail.stop();
    outbox.start(config(port));

    request();

    Eventually.within(WAIT, () -> assertThat(outbox.registry.find(DeliveryMetrics.NOTIFICATION_EMAILS)
        .tag("outcome", "retried").counter().count()).isEqualTo(1));
    assertThat(outbox.store.notifications().list(tech.id(), false, 1).get(0).emailState())
        .isEqualTo(Notification.EmailState.PENDING);
    GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    back.start();
    try {
      outbox.clock.advance(Duration.ofSeconds(4));
      outbox.worker.wake();
      Eventually.within(WAIT, () -> assertThat(outbox.registry.find(DeliveryMetrics.NOTIFICATION_OLDEST_PENDING)
          .gauge().value()).isEqualTo(4));
      assertThat(back.getReceivedMessages()).isEmpty();
      outbox.clock.advance(Duration.ofSeconds(1)); // the first retry is due 5 s after the attempt
      outbox.worker.wake();
      Eventually.within(WAIT, () -> assertThat(back.getReceivedMessages()).hasSize(1));
      Eventually.within(WAIT, () -> assertThat(outbox.store.notifications().list(tech.id(), false, 1).get(0)
          .emailState()).isEqualTo(Notification.EmailState.SENT));
    } finally {
      back.stop();
    }
  }
}
