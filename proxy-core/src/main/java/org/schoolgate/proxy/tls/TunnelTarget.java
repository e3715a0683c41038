package org.schoolgate.proxy.tls;

import java.net.InetAddress;
import java.time.ZoneId;
import java.util.Objects;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.proxy.log.Exchange;

/**
 * An allowed CONNECT whose ClientHello is still to be checked.
 *
 * @param group the group the CONNECT was decided for
 * @param user the user, or null
 * @param host the CONNECT host, normalised by {@code UrlParser}
 * @param port the CONNECT port
 * @param client the client's address
 * @param exchange the tunnel's access-log entry, updated when a check fires
 * @param zone the policy time zone
 * @param intercept whether the tunnel is to be decrypted ({@code interception:}), and why
 */
public record TunnelTarget(GroupId group, String user, String host, int port, InetAddress client,
    Exchange exchange, ZoneId zone, InterceptChoice intercept) {
  public TunnelTarget {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(intercept, "intercept (expected: InterceptChoice.NONE when not intercepted)");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(zone, "zone");
  }

  /** A tunnel that is not intercepted. */
  public TunnelTarget(GroupId group, String user, String host, int port, InetAddress client,
      Exchange exchange, ZoneId zone) {
    this(group, user, host, port, client, exchange, zone, InterceptChoice.NONE);
  }

  /** True when the CONNECT host is an IPv4 or IPv6 address (normalised hosts end in a digit). */
  boolean ipLiteral() {
    return isIpLiteral(host);
  }

  /** True when a normalised host is an IPv4 or IPv6 address rather than a name. */
  public static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || Character.isDigit(host.charAt(host.length() - 1));
  }
}
