package org.schoolgate.alerts.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JSON webhook alerts can be sent to, named in routes as {@code webhook:NAME}. The URL often
 * holds a secret token: it is never logged (only the name is).
 *
 * @param format the body's shape
 * @param timeout the whole request's limit (default 10 s)
 */
public record WebhookSettings(String name, URI url, Format format, Duration timeout) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** The body's shape. */
  public enum Format {
    /** A Microsoft Teams MessageCard (incoming webhook connector, also accepted by Workflows). */
    TEAMS,
    /** Slack's incoming webhook: {@code {"text": ...}}. */
    SLACK,
    /** The whole alert as JSON (id, key, severity, kind, audience, subject, details, who, raised_at, link). */
    GENERIC;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.configName().equals(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("webhook format '" + name + "' is not valid (expected teams, slack or generic)");
    }
  }

  public WebhookSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("webhook name '" + name + "' is not valid (expected lower-case letters,"
          + " digits and dashes, e.g. dsl-teams)");
    }
    Objects.requireNonNull(url, () -> "webhook " + name + " has no url");
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("webhook " + name + " url must be an http(s) URL with a host"
          + " (expected e.g. https://example.webhook.office.com/...)");
    }
    Objects.requireNonNull(format, () -> "webhook " + name + " has no format (expected teams, slack or generic)");
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("webhook " + name + " timeout " + timeout + " must be positive (e.g. 10s)");
    }
  }

  @Override
  public String toString() {
    return "webhook " + name + " (" + format.configName() + ", " + url.getHost() + ")";
  }
}
