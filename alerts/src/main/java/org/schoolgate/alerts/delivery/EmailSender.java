package org.schoolgate.alerts.delivery;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends plain-text email through the configured SMTP server (Angus Mail): alerts, and any other
 * mail such as the weekly digest. One connection per {@link #send}; blocking (call it from a
 * worker thread, never an event loop). The password is read once, when the sender is created.
 *
 * <pre>{@code
 * EmailSender mail = EmailSender.create(settings, Clock.systemUTC());
 * mail.send(List.of("dsl@school.org"), "Weekly digest", body, EmailSender.newMessageId("digest-2026-w12", settings));
 * }</pre>
 */
public final class EmailSender {
  /** Header carrying an alert's idempotency key. */
  public static final String ALERT_KEY_HEADER = "X-Schoolgate-Alert-Key";

  private final SmtpSettings settings;
  private final Session session;
  private final String protocol;
  private final String password;
  private final Clock clock;

  private EmailSender(SmtpSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.protocol = settings.security() == SmtpSettings.Security.IMPLICIT_TLS ? "smtps" : "smtp";
    this.password = settings.password();
    this.session = Session.getInstance(properties(settings, protocol));
  }

  /** A sender for {@code settings}; fails at once if the password file or variable cannot be read. */
  public static EmailSender create(SmtpSettings settings, Clock clock) {
    return new EmailSender(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
  }

  /** A Message-ID for a message identified by {@code key} (the same key always gives the same id). */
  public static String messageId(String key, SmtpSettings settings) {
    return AlertText.messageId(key, settings.fromDomain());
  }

  public SmtpSettings settings() {
    return settings;
  }

  /**
   * Sends one message to {@code to} with this {@code messageId} (e.g. {@code <id@school.org>}, or
   * null for a fresh one).
   */
  public void send(List<String> to, String subject, String body, String messageId) throws EmailException {
    send(to, subject, body, messageId, Map.of());
  }

  /** {@link #send(List, String, String, String)} with extra headers. */
  public void send(List<String> to, String subject, String body, String messageId, Map<String, String> headers)
      throws EmailException {
    if (to == null || to.isEmpty()) {
      throw new IllegalArgumentException("an email needs at least one recipient");
    }
    Address[] recipients;
    MimeMessage message;
    try {
      recipients = new Address[to.size()];
      for (int i = 0; i < to.size(); i++) {
        recipients[i] = new InternetAddress(to.get(i), true);
      }
      message = new FixedIdMessage(session, messageId);
      message.setFrom(new InternetAddress(settings.from(), "Schoolgate", StandardCharsets.UTF_8.name()));
      message.setRecipients(Message.RecipientType.TO, recipients);
      message.setSubject(subject, StandardCharsets.UTF_8.name());
      message.setText(body, StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      for (Map.Entry<String, String> h : headers.entrySet()) {
        message.setHeader(h.getKey(), h.getValue());
      }
      message.saveChanges();
    } catch (AddressException e) {
      throw new EmailException("invalid address: " + e.getMessage(), false, e);
    } catch (MessagingException | java.io.UnsupportedEncodingException e) {
      throw new EmailException("cannot build the message: " + e.getMessage(), false, e);
    }
    try (Transport transport = session.getTransport(protocol)) {
      transport.connect(settings.host(), settings.port(), settings.username(), password);
      transport.sendMessage(message, recipients);
    } catch (AuthenticationFailedException e) {
      throw new EmailException("the mail server refused the sign-in of " + settings.username() + ": "
          + e.getMessage(), true, e);
    } catch (MessagingException e) {
      throw classify(e);
    }
  }

  /** 5xx replies to the message or an address are final; everything else (4xx, no connection, TLS) may pass later. */
  private EmailException classify(MessagingException e) {
    int code = replyCode(e);
    String reason = describe(e);
    if (code >= 500 && code < 600) {
      return new EmailException("the mail server refused the message: " + reason, false, e);
    }
    return new EmailException(code > 0 ? "the mail server deferred the message: " + reason
        : "cannot reach the mail server " + settings.host() + ":" + settings.port() + ": " + reason, true, e);
  }

  private static int replyCode(MessagingException e) {
    for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
      if (x instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      if (x instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
    }
    return -1;
  }

  private static String describe(MessagingException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).strip());
    Exception next = e.getNextException();
    if (next != null && next.getMessage() != null && !b.toString().contains(next.getMessage().strip())) {
      b.append(" (").append(next.getMessage().strip()).append(')');
    }
    return b.toString();
  }

  private static Properties properties(SmtpSettings s, String protocol) {
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.setProperty("mail.transport.protocol", protocol);
    p.setProperty(prefix + "host", s.host());
    p.setProperty(prefix + "port", Integer.toString(s.port()));
    p.setProperty(prefix + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
    p.setProperty(prefix + "timeout", Long.toString(s.timeout().toMillis()));
    p.setProperty(prefix + "writetimeout", Long.toString(s.timeout().toMillis()));
    p.setProperty(prefix + "auth", Boolean.toString(s.username() != null));
    p.setProperty(prefix + "localhost", s.fromDomain());
    // a host trusted by name (self-signed relay) is not also checked against its certificate
    p.setProperty(prefix + "ssl.checkserveridentity", Boolean.toString(s.trustHosts() == null));
    switch (s.security()) {
      case STARTTLS_REQUIRED -> {
        p.setProperty(prefix + "starttls.enable", "true");
        p.setProperty(prefix + "starttls.required", "true");
      }
      case STARTTLS_OPTIONAL -> p.setProperty(prefix + "starttls.enable", "true");
      case IMPLICIT_TLS -> p.setProperty(prefix + "ssl.enable", "true");
      case OFF -> p.setProperty(prefix + "starttls.enable", "false");
    }
    if (s.trustHosts() != null && !s.trustHosts().isBlank()) {
      p.setProperty(prefix + "ssl.trust", s.trustHosts());
    }
    return p;
  }

  /** A message whose Message-ID is the one given (Jakarta Mail would otherwise make one up on save). */
  private static final class FixedIdMessage extends MimeMessage {
    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      if (messageId == null) {
        super.updateMessageID();
      } else {
        setHeader("Message-ID", messageId);
      }
    }
  }
}
