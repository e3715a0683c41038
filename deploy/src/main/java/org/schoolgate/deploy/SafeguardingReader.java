package org.schoolgate.deploy;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.Recipient;
import org.schoolgate.alerts.delivery.Route;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.alerts.delivery.WebhookSettings;
import org.schoolgate.store.Alert;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code alerts:}, {@code incidents:} and {@code digest:} sections of the runtime
 * configuration into {@link SafeguardingSettings}, reporting through the loader (file:line: field).
 */
final class SafeguardingReader {
  static final Set<String> KEYS = Set.of("alerts", "incidents", "digest");
  private final RuntimeConfigLoader in;

  SafeguardingReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  SafeguardingSettings read(Node alertsNode, Node incidentsNode, Node digestNode) {
    DeliveryConfig delivery = delivery(alertsNode);
    Map<String, Node> inc = in.mapping(incidentsNode, "incidents", Set.of("join-window", "escalate-after"));
    Duration join = optional(inc.get("join-window"), "incidents.join-window",
        SafeguardingSettings.DEFAULTS.incidentJoinWindow());
    Duration escalate = optional(inc.get("escalate-after"), "incidents.escalate-after",
        SafeguardingSettings.DEFAULTS.escalateAfter());
    SafeguardingSettings.Digest digest = digest(digestNode);
    if (join == null || escalate == null) {
      return SafeguardingSettings.DEFAULTS;
    }
    try {
      return new SafeguardingSettings(delivery, join, escalate, digest);
    } catch (IllegalArgumentException e) {
      in.problem(digestNode != null ? digestNode : incidentsNode, e.getMessage());
      return SafeguardingSettings.DEFAULTS;
    }
  }

  private Duration optional(Node node, String field, Duration fallback) {
    return node == null ? fallback : in.duration(node, field);
  }

  private DeliveryConfig delivery(Node node) {
    Map<String, Node> m = in.mapping(node, "alerts", Set.of("smtp", "webhooks", "routes", "group-window",
        "critical-group-window", "give-up-after"));
    if (m.isEmpty()) {
      return null;
    }
    SmtpSettings smtp = m.get("smtp") == null ? null : smtp(m.get("smtp"));
    List<WebhookSettings> webhooks = new ArrayList<>();
    for (Item item : items(m.get("webhooks"), "alerts.webhooks")) {
      Map<String, Node> w = in.mapping(item.node, item.field, Set.of("name", "url", "format", "timeout"));
      String name = required(w, "name", item);
      String url = required(w, "url", item);
      String format = w.get("format") == null ? "generic" : in.scalar(w.get("format"), item.field + ".format");
      Duration timeout = w.get("timeout") == null ? null : in.duration(w.get("timeout"), item.field + ".timeout");
      if (name == null || url == null || format == null) {
        continue;
      }
      try {
        webhooks.add(new WebhookSettings(name, new URI(url), WebhookSettings.Format.parse(format), timeout));
      } catch (URISyntaxException e) {
        in.error(w.get("url"), item.field + ".url", "is not a URL: " + e.getReason()
            + " (expected: the webhook address the Teams/Slack connector gave you)");
      } catch (IllegalArgumentException e) {
        in.error(item.node, item.field, e.getMessage());
      }
    }
    List<Route> routes = new ArrayList<>();
    for (Item item : items(m.get("routes"), "alerts.routes")) {
      Route route = route(item);
      if (route != null) {
        routes.add(route);
      }
    }
    Duration group = m.get("group-window") == null ? null : in.duration(m.get("group-window"), "alerts.group-window");
    Duration critical = m.get("critical-group-window") == null ? null
        : in.duration(m.get("critical-group-window"), "alerts.critical-group-window");
    Duration giveUp = m.get("give-up-after") == null ? null
        : in.duration(m.get("give-up-after"), "alerts.give-up-after");
    try {
      DeliveryConfig config = DeliveryConfig.of(smtp, webhooks, routes).withGroupWindows(group, critical);
      return config.withRetries(config.firstRetry(), config.maxRetry(), giveUp);
    } catch (IllegalArgumentException e) {
      in.error(node, "alerts", e.getMessage());
      return null;
    }
  }

  private SmtpSettings smtp(Node node) {
    Map<String, Node> s = in.mapping(node, "alerts.smtp", Set.of("host", "port", "security", "username",
        "password-file", "password-env", "from", "trust-hosts"));
    Item item = new Item(node, "alerts.smtp");
    String host = required(s, "host", item);
    String from = required(s, "from", item);
    int port = 587;
    if (s.get("port") != null) {
      String p = in.scalar(s.get("port"), "alerts.smtp.port");
      try {
        port = p == null ? port : Integer.parseInt(p);
      } catch (NumberFormatException e) {
        in.error(s.get("port"), "alerts.smtp.port", "'" + p + "' is not a number (expected: 587 for STARTTLS, 465 for TLS)");
      }
    }
    String user = s.get("username") == null ? null : in.scalar(s.get("username"), "alerts.smtp.username");
    Path passwordFile = s.get("password-file") == null ? null : in.path(s.get("password-file"), "alerts.smtp.password-file");
    String passwordEnv = s.get("password-env") == null ? null : in.scalar(s.get("password-env"), "alerts.smtp.password-env");
    String trust = s.get("trust-hosts") == null ? null : in.scalar(s.get("trust-hosts"), "alerts.smtp.trust-hosts");
    if (host == null || from == null) {
      return null;
    }
    try {
      SmtpSettings.Security security = s.get("security") == null ? null
          : SmtpSettings.Security.parse(in.scalar(s.get("security"), "alerts.smtp.security"));
      return new SmtpSettings(host, port, security, user, passwordFile, passwordEnv, from, null, null, trust);
    } catch (IllegalArgumentException e) {
      in.error(node, "alerts.smtp", e.getMessage());
      return null;
    }
  }

  private Route route(Item item) {
    Map<String, Node> r = in.mapping(item.node, item.field, Set.of("match", "to"));
    Map<String, Node> match = in.mapping(r.get("match"), item.field + ".match",
        Set.of("audience", "min-severity", "kind"));
    List<Recipient> to = new ArrayList<>();
    for (Item recipient : items(r.get("to"), item.field + ".to")) {
      String text = in.scalar(recipient.node, recipient.field);
      if (text == null) {
        continue;
      }
      try {
        to.add(Recipient.parse(text));
      } catch (IllegalArgumentException e) {
        in.error(recipient.node, recipient.field, e.getMessage());
      }
    }
    try {
      Alert.Audience audience = match.get("audience") == null ? null
          : Alert.Audience.parse(in.scalar(match.get("audience"), item.field + ".match.audience")).orElseThrow(() ->
              new IllegalArgumentException("match.audience is not dsl or technicians"));
      Alert.Severity severity = match.get("min-severity") == null ? null
          : Alert.Severity.parse(in.scalar(match.get("min-severity"), item.field + ".match.min-severity"))
              .orElseThrow(() -> new IllegalArgumentException(
                  "match.min-severity is not info, warning or critical"));
      String kind = match.get("kind") == null ? null : in.scalar(match.get("kind"), item.field + ".match.kind");
      return new Route(new Route.Match(audience, severity, kind), to);
    } catch (IllegalArgumentException e) {
      in.error(item.node, item.field, e.getMessage());
      return null;
    }
  }

  private SafeguardingSettings.Digest digest(Node node) {
    Map<String, Node> d = in.mapping(node, "digest", Set.of("to", "day", "time"));
    if (d.isEmpty()) {
      return null;
    }
    List<String> to = new ArrayList<>();
    for (Item item : items(d.get("to"), "digest.to")) {
      String address = in.scalar(item.node, item.field);
      if (address != null) {
        to.add(address);
      }
    }
    DayOfWeek day = DayOfWeek.MONDAY;
    if (d.get("day") != null) {
      String text = in.scalar(d.get("day"), "digest.day");
      try {
        day = text == null ? day : DayOfWeek.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        in.error(d.get("day"), "digest.day", "'" + text + "' is not a day (expected: monday ... sunday)");
      }
    }
    LocalTime time = LocalTime.of(7, 0);
    if (d.get("time") != null) {
      String text = in.scalar(d.get("time"), "digest.time");
      try {
        time = text == null ? time : LocalTime.parse(text);
      } catch (DateTimeParseException e) {
        in.error(d.get("time"), "digest.time", "'" + text + "' is not a time (expected: HH:MM such as \"07:00\")");
      }
    }
    try {
      return new SafeguardingSettings.Digest(to, day, time);
    } catch (IllegalArgumentException e) {
      in.error(node, "digest", e.getMessage());
      return null;
    }
  }

  private String required(Map<String, Node> m, String key, Item item) {
    if (m.get(key) == null) {
      in.error(item.node, item.field + "." + key, "is required");
      return null;
    }
    return in.scalar(m.get(key), item.field + "." + key);
  }

  private List<Item> items(Node node, String field) {
    List<Item> out = new ArrayList<>();
    if (node == null || RuntimeConfigLoader.isNull(node)) {
      return out;
    }
    if (!(node instanceof SequenceNode seq)) {
      in.error(node, field, "is not a list (expected: [ ... ])");
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(new Item(seq.getValue().get(i), field + "[" + i + "]"));
    }
    return out;
  }

  private record Item(Node node, String field) {}
}
