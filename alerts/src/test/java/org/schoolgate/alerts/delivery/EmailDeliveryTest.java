package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;

/** Alerts by email to a real GreenMail server on loopback (plain SMTP and implicit TLS, with sign-in). */
class EmailDeliveryTest {
  private static final String PASSWORD = "s3cret-Pa55";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(
      new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()})
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@school.org", "alerts", PASSWORD));

  @TempDir Path dir;
  private Outbox outbox;
  private Path passwordFile;

  @BeforeEach
  void open() throws Exception {
    outbox = new Outbox(dir.resolve("data"));
    passwordFile = Files.writeString(dir.resolve("smtp-password"), PASSWORD + "\n");
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private SmtpSettings smtps(Path password) {
    return new SmtpSettings("127.0.0.1", mail.getSmtps().getPort(), SmtpSettings.Security.IMPLICIT_TLS, "alerts",
        password, null, "schoolgate@school.org", Duration.ofSeconds(5), Duration.ofSeconds(10), "127.0.0.1");
  }

  private static SmtpSettings plain(int port, SmtpSettings.Security security) {
    return new SmtpSettings("127.0.0.1", port, security, null, null, null, "schoolgate@school.org",
        Duration.ofSeconds(5), Duration.ofSeconds(10), null);
  }

  private static DeliveryConfig toDsl(SmtpSettings smtp) {
    return DeliveryConfig.of(smtp, List.of(), List.of(
        new Route(Route.Match.audience(Alert.Audience.DSL), List.of(Recipient.parse("email:dsl@school.org")))));
  }

  @Test
  void aCriticalAlertReachesTheDslMailboxOverTlsWithSignInWithinFiveSecondsCarryingItsKey() throws Exception {
    outbox.start(toDsl(smtps(passwordFile)).withAdminUrl(java.net.URI.create("https://admin.school.org/")));
    long raised = System.nanoTime();

    Alert alert = outbox.critical("pupil.sam (ks3-4, 10.0.3.7)", "illegal-category:sam:1");

    Eventually.within(Duration.ofSeconds(5), () -> assertThat(mail.getReceivedMessages()).hasSize(1));
    assertThat(Duration.ofNanos(System.nanoTime() - raised)).isLessThan(Duration.ofSeconds(5));
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("dsl@school.org");
    assertThat(m.getFrom()[0].toString()).contains("schoolgate@school.org");
    assertThat(m.getSubject()).isEqualTo("[Schoolgate critical] illegal-category by pupil.sam (ks3-4, 10.0.3.7)");
    assertThat(m.getMessageID()).isEqualTo(AlertText.messageId(alert, "school.org")).endsWith(".alert@school.org>");
    assertThat(m.getHeader(EmailSender.ALERT_KEY_HEADER)).containsExactly("illegal-category:sam:1");
    assertThat(((String) m.getContent())).contains("Who: pupil.sam (ks3-4, 10.0.3.7)", "Rule: illegal-category",
        "When: Mon 2 Mar 2026 08:00:00 UTC", "Attempted http://bad.example/", "Open: " + Outbox.incidentUrl("https://admin.school.org/", alert));
    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.SENT));
    assertThat(outbox.only(alert).sentAt()).isEqualTo(Outbox.T0);
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.SENT, "email")).isEqualTo(1));
  }

  @Test
  void aWrongPasswordIsRetriedAndTheErrorNeverCarriesThePassword() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password");
    outbox.start(toDsl(smtps(wrong)));

    Alert alert = outbox.critical("pupil.a", "k-auth");

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).contains("refused the sign-in of alerts"));
    assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.PENDING);
    assertThat(outbox.only(alert).lastError()).doesNotContain("not-the-password").doesNotContain(PASSWORD);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void startTlsRequiredUpgradesTheConnectionSignsInAndDelivers() throws Exception {
    try (StartTlsFront front = new StartTlsFront(mail.getSmtp().getPort())) {
      outbox.start(toDsl(new SmtpSettings("127.0.0.1", front.port(), SmtpSettings.Security.STARTTLS_REQUIRED,
          "alerts", passwordFile, null, "schoolgate@school.org", Duration.ofSeconds(5), Duration.ofSeconds(10),
          "127.0.0.1")));

      Alert alert = outbox.critical("pupil.sam", "k-starttls-ok");

      Eventually.within(WAIT, () -> assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.SENT));
      assertThat(mail.getReceivedMessages()).singleElement()
          .satisfies(m -> assertThat(key(m)).isEqualTo("k-starttls-ok"));
      assertThat(front.upgradedSessions()).isEqualTo(1);
    }
  }

  @Test
  void startTlsWithAWrongPasswordIsRefusedByTheServerAndRetried() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password");
    try (StartTlsFront front = new StartTlsFront(mail.getSmtp().getPort())) {
      outbox.start(toDsl(new SmtpSettings("127.0.0.1", front.port(), SmtpSettings.Security.STARTTLS_REQUIRED,
          "alerts", wrong, null, "schoolgate@school.org", Duration.ofSeconds(5), Duration.ofSeconds(10),
          "127.0.0.1")));

      Alert alert = outbox.critical("pupil.sam", "k-starttls-wrong");

      Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).contains("refused the sign-in"));
      assertThat(front.upgradedSessions()).isEqualTo(1);
      assertThat(mail.getReceivedMessages()).isEmpty();
    }
  }

  @Test
  void startTlsFailsClosedWhenTheServersCertificateIsNotTrusted() throws Exception {
    try (StartTlsFront front = new StartTlsFront(mail.getSmtp().getPort())) {
      outbox.start(toDsl(new SmtpSettings("127.0.0.1", front.port(), SmtpSettings.Security.STARTTLS_REQUIRED,
          "alerts", passwordFile, null, "schoolgate@school.org", Duration.ofSeconds(5), Duration.ofSeconds(10),
          null)));

      Alert alert = outbox.critical("pupil.sam", "k-untrusted");

      Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).containsAnyOf("PKIX", "certificate"));
      assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.PENDING);
      assertThat(mail.getReceivedMessages()).isEmpty();
    }
  }

  @Test
  void startTlsRequiredRefusesToSendInClearToAServerWithoutStartTls() throws Exception {
    outbox.start(toDsl(plain(mail.getSmtp().getPort(), SmtpSettings.Security.STARTTLS_REQUIRED)));

    Alert alert = outbox.critical("pupil.a", "k-starttls");

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).containsIgnoringCase("STARTTLS"));
    assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.PENDING);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void startTlsOptionalSendsInClearWhenTheServerOffersNoStartTls() throws Exception {
    outbox.start(toDsl(plain(mail.getSmtp().getPort(), SmtpSettings.Security.STARTTLS_OPTIONAL)));

    outbox.critical("pupil.a", "k-optional");

    Eventually.within(WAIT, () -> assertThat(mail.getReceivedMessages()).hasSize(1));
  }

  @Test
  void smtpDownForAWhileThenUpDeliversEveryAlertExactlyOnceWithDoublingWaits() throws Exception {
    int port = mail.getSmtp().getPort();
    mail.stop();
    outbox.start(toDsl(plain(port, SmtpSettings.Security.OFF)));
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      alerts.add(outbox.critical("pupil." + i, "down-" + i));
    }
    Eventually.within(WAIT, () -> assertThat(alerts).allSatisfy(a -> {
      assertThat(outbox.only(a).lastError()).contains("cannot reach the mail server 127.0.0.1:" + port);
      assertThat(outbox.only(a).nextAttemptAt()).isEqualTo(Outbox.T0.plusSeconds(5));
    }));
    // still down at the second and third attempts: 5 s, then 10 s, then 20 s
    outbox.clock.advance(Duration.ofSeconds(5));
    outbox.worker.wake();
    Eventually.within(WAIT, () -> assertThat(alerts).allSatisfy(a ->
        assertThat(outbox.only(a).nextAttemptAt()).isEqualTo(Outbox.T0.plusSeconds(5 + 10))));
    outbox.clock.advance(Duration.ofSeconds(10));
    outbox.worker.wake();
    Eventually.within(WAIT, () -> assertThat(alerts).allSatisfy(a ->
        assertThat(outbox.only(a).nextAttemptAt()).isEqualTo(Outbox.T0.plusSeconds(5 + 10 + 20))));
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.RETRIED, "email")).isEqualTo(15));

    GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    back.start();
    try {
      outbox.clock.advance(Duration.ofSeconds(20));
      outbox.worker.wake();
      Eventually.within(WAIT, () -> assertThat(back.getReceivedMessages()).hasSize(5));
      Eventually.within(WAIT, () -> assertThat(alerts).allSatisfy(a ->
          assertThat(outbox.only(a).state()).isEqualTo(Delivery.State.SENT)));
      for (int i = 0; i < 3; i++) { // later rounds send nothing again
        outbox.clock.advance(Duration.ofMinutes(20));
        outbox.worker.wake();
      }
      Eventually.within(WAIT, () -> assertThat(outbox.registry.find(DeliveryMetrics.OLDEST_PENDING).gauge().value())
          .isZero());
      assertThat(back.getReceivedMessages()).hasSize(5);
      Map<String, Long> perKey = Arrays.stream(back.getReceivedMessages())
          .map(EmailDeliveryTest::key).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(perKey).containsOnlyKeys("down-0", "down-1", "down-2", "down-3", "down-4").allSatisfy((k, n) ->
          assertThat(n).as(k).isEqualTo(1));
      Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.SENT, "email")).isEqualTo(5));
    } finally {
      back.stop();
    }
  }

  @Test
  void pendingAndUnplannedAlertsAreDeliveredAfterARestart() throws Exception {
    int port = mail.getSmtp().getPort();
    mail.stop();
    DeliveryConfig config = toDsl(plain(port, SmtpSettings.Security.OFF));
    outbox.start(config);
    Alert tried = outbox.critical("pupil.a", "before-restart");
    Eventually.within(WAIT, () -> assertThat(outbox.only(tried).attempts()).isEqualTo(1));
    outbox.worker.close();
    Alert raisedWhileStopped = outbox.critical("pupil.b", "while-stopped");

    GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    back.start();
    try {
      outbox.clock.advance(Duration.ofSeconds(5));
      outbox.restart(config);
      Eventually.within(WAIT, () -> assertThat(back.getReceivedMessages()).extracting(EmailDeliveryTest::key)
          .containsExactlyInAnyOrder("before-restart", "while-stopped"));
      Eventually.within(WAIT, () -> assertThat(List.of(tried, raisedWhileStopped)).allSatisfy(a ->
          assertThat(outbox.only(a).state()).isEqualTo(Delivery.State.SENT)));
    } finally {
      back.stop();
    }
  }

  @Test
  void aDeliveryStillFailingAfterTheGiveUpAgeIsFailedLoggedAndCounted() throws Exception {
    int port = mail.getSmtp().getPort();
    mail.stop();
    outbox.start(toDsl(plain(port, SmtpSettings.Security.OFF))
        .withRetries(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(2)));
    Alert alert = outbox.critical("pupil.a", "give-up");
    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).contains("cannot reach"));

    outbox.clock.advance(Duration.ofHours(2));
    outbox.worker.wake();

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.FAILED));
    assertThat(outbox.only(alert).lastError()).startsWith("gave up after 2 attempt(s) over PT2H: cannot reach");
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.FAILED, "email")).isEqualTo(1));
  }

  @Test
  void theEmailSenderSendsOtherMailSuchAsADigestThroughTheSameSettings() throws Exception {
    SmtpSettings settings = smtps(passwordFile);
    EmailSender sender = EmailSender.create(settings, Clock.systemUTC());
    String id = EmailSender.messageId("digest:2026-W10", settings);

    sender.send(List.of("dsl@school.org", "head@school.org"), "Weekly safeguarding digest", "3 incidents opened", id);

    MimeMessage[] received = mail.getReceivedMessages();
    assertThat(received).hasSize(2).allSatisfy(m -> {
      assertThat(m.getMessageID()).isEqualTo(id);
      assertThat(m.getSubject()).isEqualTo("Weekly safeguarding digest");
      assertThat(((String) m.getContent()).strip()).isEqualTo("3 incidents opened");
    });
    assertThat(EmailSender.messageId("digest:2026-W10", settings)).isEqualTo(id);
  }

  @Test
  void anAddressTheServerCannotParseIsRefusedWithoutRetrying() {
    EmailSender sender = EmailSender.create(plain(mail.getSmtp().getPort(), SmtpSettings.Security.OFF),
        Clock.systemUTC());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.send(List.of("not an address"), "s", "b", null))
        .isInstanceOfSatisfying(EmailException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("invalid address");
  }

  static String key(MimeMessage m) {
    try {
      return m.getHeader(EmailSender.ALERT_KEY_HEADER)[0];
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
