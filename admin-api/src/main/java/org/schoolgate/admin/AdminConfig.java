package org.schoolgate.admin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.schoolgate.admin.client.ForwardingTrust;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.admin.signin.GuessLimits;
import org.schoolgate.admin.signin.SignInLimits;
import org.schoolgate.admin.tls.AdminTls;

/**
 * How the admin API runs.
 *
 * @param listen address and port; port 0 picks a free port (see {@link AdminServer#port()})
 * @param maxUnblock the longest an unblock may last (the period of study), default 14 days
 * @param setupToken the first-run token that lets {@code POST /api/v1/setup} create the first
 *     admin while there are no accounts, or null to turn setup off; never logged
 * @param unblockTick how often unblocks are expired and changes from other nodes picked up,
 *     default 1 second
 * @param tls HTTPS on the admin port, or null for plain HTTP
 * @param plainHttpBeyondLoopback true to listen beyond this machine without TLS anyway (behind a
 *     TLS reverse proxy); start-up then warns. Without it, a non-loopback {@code listen} needs {@code tls}
 * @param sessions how logon sessions are taken ({@code /api/v1/identity/sessions})
 * @param forwarding whose forwarding headers name the client (the Schoolgate proxy's key, the
 *     school's reverse proxies); default nobody's
 * @param signIn how sign-in failures are throttled, default {@link SignInLimits#DEFAULTS}
 * @param oidc sign-in with the school's OpenID Connect provider (device sign-in page and console),
 *     or null for none
 * @param deviceGuesses how many wrong codes and passwords the device sign-in page takes, default
 *     {@link GuessLimits#DEFAULTS}
 */
public record AdminConfig(InetSocketAddress listen, Duration maxUnblock, String setupToken, Duration unblockTick,
    AdminTls tls, boolean plainHttpBeyondLoopback, SessionSettings sessions, ForwardingTrust forwarding,
    SignInLimits signIn, OidcSettings oidc, GuessLimits deviceGuesses) {
  /** The default listen address, {@code 127.0.0.1:8080}. */
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress("127.0.0.1", 8080);
  /** The default longest unblock: 14 days. */
  public static final Duration DEFAULT_MAX_UNBLOCK = Duration.ofDays(14);
  /** The default ticker period: 1 second. */
  public static final Duration DEFAULT_UNBLOCK_TICK = Duration.ofSeconds(1);

  public AdminConfig {
    Objects.requireNonNull(listen, "admin listen address (expected: host:port such as 127.0.0.1:8080)");
    if (listen.isUnresolved()) {
      throw new IllegalArgumentException("admin listen address " + listen.getHostString()
          + " could not be resolved (expected: an IP address such as 127.0.0.1)");
    }
    maxUnblock = maxUnblock == null ? DEFAULT_MAX_UNBLOCK : maxUnblock;
    if (maxUnblock.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("admin maxUnblock " + maxUnblock + " is too short (expected: at least 1 minute, e.g. P14D)");
    }
    unblockTick = unblockTick == null ? DEFAULT_UNBLOCK_TICK : unblockTick;
    if (unblockTick.compareTo(Duration.ofMillis(10)) < 0 || unblockTick.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("admin unblockTick " + unblockTick
          + " is out of range (expected: 10 ms to 10 minutes, e.g. PT1S)");
    }
    if (setupToken != null && setupToken.strip().length() < 16) {
      throw new IllegalArgumentException("admin setup token is too short (expected: at least 16 characters;"
          + " leave it unset to turn first-run setup off)");
    }
    if (tls == null && !plainHttpBeyondLoopback && !listen.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("admin.listen " + AdminServer.hostPort(listen) + " reaches beyond this"
          + " machine without TLS: passwords and session cookies would cross the network in clear (expected:"
          + " admin.tls with a certificate and key, or issued by the school CA; or admin.allow-plain-http: true"
          + " when a TLS reverse proxy stands in front)");
    }
    sessions = sessions == null ? SessionSettings.DEFAULTS : sessions;
    forwarding = forwarding == null ? ForwardingTrust.NONE : forwarding;
    signIn = signIn == null ? SignInLimits.DEFAULTS : signIn;
    deviceGuesses = deviceGuesses == null ? GuessLimits.DEFAULTS : deviceGuesses;
  }

  /** The device sign-in page's default guess limits. */
  public AdminConfig(InetSocketAddress listen, Duration maxUnblock, String setupToken, Duration unblockTick,
      AdminTls tls, boolean plainHttpBeyondLoopback, SessionSettings sessions, ForwardingTrust forwarding,
      SignInLimits signIn, OidcSettings oidc) {
    this(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions, forwarding, signIn, oidc,
        null);
  }

  /** This config with other guess limits on the device sign-in page (null: the defaults). */
  public AdminConfig withDeviceGuesses(GuessLimits limits) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions,
        forwarding, signIn, oidc, limits);
  }

  /** No OpenID Connect sign-in. */
  public AdminConfig(InetSocketAddress listen, Duration maxUnblock, String setupToken, Duration unblockTick,
      AdminTls tls, boolean plainHttpBeyondLoopback, SessionSettings sessions, ForwardingTrust forwarding,
      SignInLimits signIn) {
    this(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions, forwarding, signIn, null);
  }

  /** This config with sign-in through the school's OpenID Connect provider (null: none). */
  public AdminConfig withOidc(OidcSettings newOidc) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions,
        forwarding, signIn, newOidc, deviceGuesses);
  }

  /** Nobody's forwarding headers believed, default sign-in limits. */
  public AdminConfig(InetSocketAddress listen, Duration maxUnblock, String setupToken, Duration unblockTick,
      AdminTls tls, boolean plainHttpBeyondLoopback, SessionSettings sessions) {
    this(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions, null, null);
  }

  /** Plain HTTP (loopback only), default logon-session settings. */
  public AdminConfig(InetSocketAddress listen, Duration maxUnblock, String setupToken, Duration unblockTick) {
    this(listen, maxUnblock, setupToken, unblockTick, null, false, null);
  }

  /** {@code listen} with the defaults for everything else (setup off). */
  public AdminConfig(InetSocketAddress listen) {
    this(listen, null, null, null);
  }

  /** The defaults: loopback, port 8080, 14-day unblocks, setup off, 1-second tick. */
  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_LISTEN);
  }

  /** This config with a first-run setup token. */
  public AdminConfig withSetupToken(String token) {
    return new AdminConfig(listen, maxUnblock, token, unblockTick, tls, plainHttpBeyondLoopback, sessions,
        forwarding, signIn, oidc, deviceGuesses);
  }

  /** This config serving HTTPS (null: plain HTTP). */
  public AdminConfig withTls(AdminTls newTls) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, newTls, plainHttpBeyondLoopback, sessions,
        forwarding, signIn, oidc, deviceGuesses);
  }

  /** This config allowed (or not) to listen beyond loopback without TLS. */
  public AdminConfig withPlainHttpBeyondLoopback(boolean allowed) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, allowed, sessions, forwarding, signIn,
        oidc, deviceGuesses);
  }

  /** This config with other logon-session settings. */
  public AdminConfig withSessions(SessionSettings newSessions) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, newSessions,
        forwarding, signIn, oidc, deviceGuesses);
  }

  /** This config believing {@code trust}'s forwarding headers. */
  public AdminConfig withForwarding(ForwardingTrust trust) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions, trust,
        signIn, oidc, deviceGuesses);
  }

  /** This config with other sign-in limits. */
  public AdminConfig withSignIn(SignInLimits limits) {
    return new AdminConfig(listen, maxUnblock, setupToken, unblockTick, tls, plainHttpBeyondLoopback, sessions,
        forwarding, limits, oidc, deviceGuesses);
  }

  /** True when the API is reachable from other machines over plain HTTP (start-up warns). */
  public boolean plainBeyondLoopback() {
    return tls == null && !listen.getAddress().isLoopbackAddress();
  }

  @Override
  public String toString() {
    return "AdminConfig[listen=" + listen + ", maxUnblock=" + maxUnblock + ", setupToken="
        + (setupToken == null ? "none" : "(set)") + ", unblockTick=" + unblockTick + ", tls=" + tls
        + ", plainHttpBeyondLoopback=" + plainHttpBeyondLoopback + ", sessions=" + sessions + ", forwarding="
        + forwarding + ", signIn=" + signIn + ", oidc=" + oidc + "]";
  }
}
