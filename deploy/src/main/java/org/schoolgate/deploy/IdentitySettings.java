package org.schoolgate.deploy;

import java.time.Duration;
import java.util.Objects;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.radius.RadiusSettings;

/**
 * Who is behind an address ({@code identity:} and {@code radius:} in the runtime configuration):
 * logon sessions through the admin API, RADIUS accounting (null: off), and how often the binding
 * table picks up other nodes' changes.
 *
 * @param sessions logon-session settings (user names, lengths, reporter networks, audit window)
 * @param radius the RADIUS accounting listener, or null when {@code radius:} is absent
 * @param syncEvery how often the binding table reads other nodes' changes from the database
 * @param signIn proxy sign-in: the directory, the Kerberos keytab, cache and lock-out settings
 *     ({@link SignInReader}), or null: nobody can sign in to the proxy
 */
public record IdentitySettings(SessionSettings sessions, RadiusSettings radius, Duration syncEvery,
    SignInSettings signIn) {
  public static final Duration DEFAULT_SYNC = Duration.ofSeconds(2);
  /** Sweeps of expired bindings: every 10 seconds. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  public static final IdentitySettings DEFAULTS = new IdentitySettings(SessionSettings.DEFAULTS, null, DEFAULT_SYNC);

  /** Without proxy sign-in. */
  public IdentitySettings(SessionSettings sessions, RadiusSettings radius, Duration syncEvery) {
    this(sessions, radius, syncEvery, null);
  }

  public IdentitySettings {
    Objects.requireNonNull(sessions, "identity.sessions");
    Objects.requireNonNull(syncEvery, "identity.sync-every");
    if (syncEvery.compareTo(Duration.ofMillis(100)) < 0 || syncEvery.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("identity.sync-every is " + syncEvery
          + " (expected: between 100ms and 5m, e.g. 2s)");
    }
  }
}
