package org.schoolgate.alerts.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The mail server alerts (and other mail, such as the weekly digest) are sent through. The
 * password is never in the configuration itself: it is read from {@code passwordFile} or the
 * environment variable {@code passwordEnv} when the sender starts, and never logged.
 *
 * @param security how the connection is protected (default {@link Security#STARTTLS_REQUIRED})
 * @param username the account to sign in with, or null to send without authentication
 * @param passwordFile a file holding the password (trailing newline ignored), or null
 * @param passwordEnv an environment variable holding the password, or null
 * @param from the sender address, e.g. {@code schoolgate@school.org}
 * @param trustHosts hosts whose certificate is trusted without verification (space-separated,
 *     Jakarta Mail's {@code ssl.trust}): only for a relay with a self-signed certificate; null verifies normally
 */
public record SmtpSettings(
    String host, int port, Security security, String username, Path passwordFile, String passwordEnv, String from,
    Duration connectTimeout, Duration timeout, String trustHosts) {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+");

  /** Transport security. */
  public enum Security {
    /** Plain connection upgraded with STARTTLS; refuses to send if the server does not offer it (port 587). */
    STARTTLS_REQUIRED,
    /** STARTTLS when the server offers it, otherwise plain (not recommended). */
    STARTTLS_OPTIONAL,
    /** TLS from the first byte ("SMTPS", port 465). */
    IMPLICIT_TLS,
    /** No encryption: only for a relay on the same host or network segment. */
    OFF;

    /** {@code starttls-required}, {@code starttls-optional}, {@code implicit-tls}, {@code off}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Security parse(String name) {
      for (Security s : values()) {
        if (s.configName().equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("smtp security '" + name
          + "' is not valid (expected starttls-required, starttls-optional, implicit-tls or off)");
    }
  }

  public SmtpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("smtp host is missing (expected the mail server's name, e.g. smtp.school.org)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("smtp port " + port + " is out of range (expected 1-65535, usually 587"
          + " for STARTTLS or 465 for implicit TLS)");
    }
    security = security == null ? Security.STARTTLS_REQUIRED : security;
    if (username != null && username.isBlank()) {
      username = null;
    }
    if (username != null && (passwordFile == null) == (passwordEnv == null || passwordEnv.isBlank())) {
      throw new IllegalArgumentException("smtp username '" + username + "' needs exactly one of password-file or"
          + " password-env (the password itself never goes in the configuration)");
    }
    if (username == null && (passwordFile != null || passwordEnv != null)) {
      throw new IllegalArgumentException("smtp password-file/password-env is set without a username");
    }
    if (from == null || !EMAIL.matcher(from).matches()) {
      throw new IllegalArgumentException("smtp from '" + from + "' is not an email address (expected e.g."
          + " schoolgate@school.org)");
    }
    connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connect-timeout");
    timeout = positive(timeout, Duration.ofSeconds(30), "timeout");
  }

  /** Plain settings with default timeouts and no authentication (tests, local relays). */
  public static SmtpSettings relay(String host, int port, Security security, String from) {
    return new SmtpSettings(host, port, security, null, null, null, from, null, null, null);
  }

  /**
   * The password from the file or the environment, or null without a username. Fails with a
   * message naming the source (never the password) if it cannot be read or is empty.
   */
  String password() {
    if (username == null) {
      return null;
    }
    String value;
    String source;
    if (passwordFile != null) {
      source = "password-file " + passwordFile;
      try {
        value = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the smtp " + source + ": " + e.getMessage(), e);
      }
    } else {
      source = "environment variable " + passwordEnv;
      value = System.getenv(passwordEnv);
    }
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the smtp " + source + " is empty or unset (expected the password of "
          + username + ")");
    }
    return value;
  }

  private static Duration positive(Duration value, Duration fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("smtp " + name + " " + value + " must be positive (e.g. 10s)");
    }
    return value;
  }

  /** The host part of {@link #from}, for Message-IDs. */
  String fromDomain() {
    return from.substring(from.lastIndexOf('@') + 1);
  }

  @Override
  public String toString() {
    return "smtp " + host + ":" + port + " (" + security.configName() + (username == null ? "" : ", as " + username)
        + ", from " + from + ")";
  }
}
