package org.schoolgate.identity.portal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proxy's signed word that a browser it sent to the sign-in page was at a client address:
 * {@code <address>.<expiry>.<HMAC-SHA256>} in URL-safe base64, under the per-process key the proxy
 * and the admin server share (the one that vouches for {@code Forwarded}). A personal device
 * reaches the HTTPS sign-in page through a CONNECT tunnel the proxy cannot look into, so the admin
 * server sees the proxy's address, not the device's; the ticket in the redirect says which
 * address signing in binds. It lives {@link #LIFETIME}; nothing in it is secret but the MAC.
 *
 * <pre>{@code
 * String t = SignInTicket.issue(key, client, now);           // the proxy, in its 302
 * Optional<InetAddress> a = SignInTicket.check(key, t, now); // the sign-in page, on POST
 * }</pre>
 */
public final class SignInTicket {
  /** How long a ticket may be used: long enough to type a password, short enough to go stale. */
  public static final Duration LIFETIME = Duration.ofMinutes(15);
  /** The longest ticket accepted (an IPv6 address, a time, a MAC, with room). */
  static final int MAX_LENGTH = 128;
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private SignInTicket() {}

  /** A ticket for {@code client}, good until {@code now} + {@link #LIFETIME}. */
  public static String issue(String key, InetAddress client, Instant now) {
    String body = ENCODE.encodeToString(client.getAddress()) + "." + now.plus(LIFETIME).getEpochSecond();
    return body + "." + ENCODE.encodeToString(mac(key, body));
  }

  /**
   * The address {@code ticket} vouches for, when its MAC is right under {@code key} and it has not
   * run out at {@code now}; empty otherwise (garbled, forged, another process's, stale).
   */
  public static Optional<InetAddress> check(String key, String ticket, Instant now) {
    Objects.requireNonNull(key, "key");
    if (ticket == null || ticket.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int last = ticket.lastIndexOf('.');
    int first = ticket.indexOf('.');
    if (first < 0 || last == first) {
      return Optional.empty();
    }
    String body = ticket.substring(0, last);
    try {
      if (!MessageDigest.isEqual(mac(key, body), DECODE.decode(ticket.substring(last + 1)))) {
        return Optional.empty();
      }
      if (!now.isBefore(Instant.ofEpochSecond(Long.parseLong(body.substring(first + 1))))) {
        return Optional.empty();
      }
      return Optional.of(InetAddress.getByAddress(DECODE.decode(body.substring(0, first))));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static byte[] mac(String key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(("schoolgate-sign-in-ticket:" + key).getBytes(StandardCharsets.UTF_8),
          "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}
