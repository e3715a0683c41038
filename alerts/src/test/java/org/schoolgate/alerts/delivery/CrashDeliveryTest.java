package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.Store;

/**
 * SIGKILLs a process in the middle of raising and mailing a burst of alerts, then lets a new
 * worker on the same SQLite file finish: every alert arrives at least once, and any duplicate
 * carries the same Message-ID and alert key, so the receiver can drop it.
 */
class CrashDeliveryTest {
  private static final int RAISED_BEFORE_KILL = 43;

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killedMidBurstEveryAlertArrivesAtLeastOnceAndDuplicatesShareTheirMessageId(@TempDir Path dir)
      throws Exception {
    int port = mail.getSmtp().getPort();
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrashDeliveryBurst.class.getName(),
        dir.toString(), Integer.toString(port))
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    Set<String> printed = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while (printed.size() < RAISED_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith("raised ")) {
          printed.add(line.substring("raised ".length()));
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended").isTrue();
    }
    if (printed.size() < RAISED_BEFORE_KILL) {
      fail("child stopped after " + printed.size() + " alerts: " + Files.readString(dir.resolve("child.err")));
    }
    assertThat(child.exitValue()).as("killed, not finished").isEqualTo(137);
    int receivedBeforeRestart = mail.getReceivedMessages().length;
    assertThat(receivedBeforeRestart).as("mailed before the kill").isGreaterThanOrEqualTo(RAISED_BEFORE_KILL - 5);

    try (Store store = Store.open(DatabaseConfig.sqlite(dir), Clock.systemUTC());
        DeliveryWorker worker = DeliveryWorker.start(store, CrashDeliveryBurst.config(port), new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      List<Alert> alerts = store.alerts().list(new AlertStore.Query(null, false, 1000));
      assertThat(alerts.stream().map(a -> a.content().idempotencyKey())).containsAll(printed);
      Eventually.within(Duration.ofSeconds(60), () -> {
        assertThat(store.deliveries().unplanned(10)).isEmpty();
        assertThat(alerts).allSatisfy(a -> assertThat(store.deliveries().forAlert(a.id())).singleElement()
            .satisfies(d -> assertThat(d.state()).isEqualTo(Delivery.State.SENT)));
      });

      Map<String, Set<String>> messageIdsPerKey = new HashMap<>();
      List<String> keys = new ArrayList<>();
      for (MimeMessage m : mail.getReceivedMessages()) {
        String key = header(m, EmailSender.ALERT_KEY_HEADER);
        keys.add(key);
        messageIdsPerKey.computeIfAbsent(key, k -> new HashSet<>()).add(m.getMessageID());
      }
      for (Alert a : alerts) {
        String key = a.content().idempotencyKey();
        assertThat(messageIdsPerKey).as("mail for " + key).containsKey(key);
        assertThat(messageIdsPerKey.get(key)).as("Message-IDs of " + key)
            .containsExactly(AlertText.messageId(a, "school.org"));
      }
      assertThat(messageIdsPerKey).hasSize(alerts.size());
      // at-least-once: a message sent but not yet recorded when the process died is sent again
      assertThat(keys.size() - alerts.size()).as("duplicates").isBetween(0, 5);
    }
  }

  private static String header(MimeMessage m, String name) throws MessagingException {
    String[] values = m.getHeader(name);
    assertThat(values).as(name).hasSize(1);
    return values[0];
  }
}
