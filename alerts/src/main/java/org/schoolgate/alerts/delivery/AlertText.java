package org.schoolgate.alerts.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import org.schoolgate.store.Alert;
import org.schoolgate.store.ConsoleLinks;

/** What an alert says in an email and in each webhook format. */
final class AlertText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm:ss zzz", Locale.UK);

  private final ZoneId zone;
  private final URI adminUrl;

  AlertText(ZoneId zone, URI adminUrl) {
    this.zone = zone;
    this.adminUrl = adminUrl;
  }

  /** {@code <HASH.alert@DOMAIN>}: the same for every message of one alert, so receivers can de-duplicate. */
  static String messageId(Alert alert, String domain) {
    return messageId(alert.content().idempotencyKey(), domain);
  }

  static String messageId(String key, String domain) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(hash, 0, 20) + ".alert@" + domain + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  String subject(Alert alert) {
    return "[Schoolgate " + alert.content().severity().apiName() + "] " + alert.content().subject();
  }

  String when(Alert alert) {
    return WHEN.format(alert.raisedAt().atZone(zone));
  }

  /**
   * The console page where the alert is worked on: its incident ({@code /incidents/N}) when it
   * opened or joined one, else the alert's own page ({@code /alerts/N}); null without an admin URL.
   * Never a JSON route: people open these links in a browser.
   */
  String url(Alert alert) {
    if (adminUrl == null) {
      return null;
    }
    String link = alert.content().link();
    if (link != null && link.matches("incident:\\d+")) {
      return ConsoleLinks.absolute(adminUrl, ConsoleLinks.incident(Long.parseLong(link.substring("incident:".length()))));
    }
    return ConsoleLinks.absolute(adminUrl, ConsoleLinks.alert(alert.id().value()));
  }

  /** The console page of what the alert is about when that is an item of its own (an unblock), else null. */
  String aboutUrl(Alert alert) {
    String link = alert.content().link();
    if (adminUrl == null || link == null || !link.matches("unblock:\\d+")) {
      return null;
    }
    return ConsoleLinks.absolute(adminUrl, ConsoleLinks.unblock(Long.parseLong(link.substring("unblock:".length()))));
  }

  String emailBody(Alert alert) {
    StringBuilder b = new StringBuilder();
    b.append(alert.content().subject()).append("\n\n");
    line(b, "Severity", alert.content().severity().apiName());
    line(b, "Rule", alert.content().kind());
    line(b, "Who", alert.content().who());
    line(b, "When", when(alert));
    line(b, "For", alert.content().audience().apiName());
    if (!alert.content().details().isBlank()) {
      b.append('\n').append(alert.content().details()).append('\n');
    }
    b.append('\n');
    if (url(alert) != null) {
      line(b, "Open", url(alert));
    }
    if (aboutUrl(alert) != null) {
      line(b, "About", aboutUrl(alert));
    } else if (alert.content().link() != null) {
      line(b, "About", alert.content().link());
    }
    line(b, "Alert", alert.id() + " (key " + alert.content().idempotencyKey() + ")");
    return b.toString();
  }

  String json(Alert alert, WebhookSettings.Format format) {
    ObjectNode body = switch (format) {
      case TEAMS -> teams(alert);
      case SLACK -> slack(alert);
      case GENERIC -> generic(alert);
    };
    return body.toString();
  }

  private ObjectNode generic(Alert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", alert.id().value());
    n.put("key", alert.content().idempotencyKey());
    n.put("severity", alert.content().severity().apiName());
    n.put("kind", alert.content().kind());
    n.put("audience", alert.content().audience().apiName());
    n.put("subject", alert.content().subject());
    n.put("details", alert.content().details());
    n.put("who", alert.content().who());
    n.put("raised_at", alert.raisedAt().toString());
    n.put("link", alert.content().link());
    if (url(alert) != null) {
      n.put("url", url(alert));
    }
    return n;
  }

  private ObjectNode slack(Alert alert) {
    StringBuilder text = new StringBuilder("*").append(subject(alert)).append("*\n");
    text.append("Who: ").append(alert.content().who()).append('\n');
    text.append("When: ").append(when(alert)).append('\n');
    text.append("Rule: ").append(alert.content().kind());
    if (!alert.content().details().isBlank()) {
      text.append("\n").append(alert.content().details());
    }
    if (url(alert) != null) {
      text.append("\n<").append(url(alert)).append("|Open the alert>");
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("text", text.toString());
    return n;
  }

  private ObjectNode teams(Alert alert) {
    ObjectNode n = JSON.createObjectNode();
    n.put("@type", "MessageCard");
    n.put("@context", "https://schema.org/extensions");
    n.put("summary", subject(alert));
    n.put("themeColor", switch (alert.content().severity()) {
      case CRITICAL -> "C4314B";
      case WARNING -> "F7630C";
      case INFO -> "0078D4";
    });
    n.put("title", subject(alert));
    ObjectNode section = n.putArray("sections").addObject();
    ArrayNode facts = section.putArray("facts");
    fact(facts, "Who", alert.content().who());
    fact(facts, "When", when(alert));
    fact(facts, "Rule", alert.content().kind());
    fact(facts, "Severity", alert.content().severity().apiName());
    section.put("text", alert.content().details());
    if (url(alert) != null) {
      ObjectNode action = n.putArray("potentialAction").addObject();
      action.put("@type", "OpenUri");
      action.put("name", "Open the alert");
      action.putArray("targets").addObject().put("os", "default").put("uri", url(alert));
    }
    return n;
  }

  private static void fact(ArrayNode facts, String name, String value) {
    facts.addObject().put("name", name).put("value", value);
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(name).append(": ").append(value).append('\n');
  }
}
