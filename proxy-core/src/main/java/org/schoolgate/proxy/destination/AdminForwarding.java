package org.schoolgate.proxy.destination;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The forwarding headers of a request to the school's admin origin: whatever the client sent in
 * {@code Forwarded}, {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host},
 * {@code X-Real-IP} and {@code X-Schoolgate-Proxy-Key} is removed, and the proxy adds
 * {@code Forwarded: for="<client>"} (RFC 7239; IPv6 as {@code for="[2001:db8::1]"}) and the key
 * the admin API checks before it trusts that header.
 */
public final class AdminForwarding {
  /** The header carrying the proxy's key to the admin API. */
  public static final String KEY_HEADER = "X-Schoolgate-Proxy-Key";
  private static final String[] REMOVED = {
      "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP",
      KEY_HEADER,
  };

  private AdminForwarding() {}

  /** Rewrites {@code headers} of a request from {@code client} to the admin origin. */
  public static void apply(HttpHeaders headers, InetAddress client, String key) {
    for (String name : REMOVED) {
      headers.remove(name);
    }
    headers.set("Forwarded", forwardedFor(client));
    if (key != null) {
      headers.set(KEY_HEADER, key);
    }
  }

  /** {@code for="192.0.2.7"} or {@code for="[2001:db8::1]"}. */
  static String forwardedFor(InetAddress client) {
    String text = NetUtil.toAddressString(client);
    return client instanceof Inet6Address ? "for=\"[" + text + "]\"" : "for=\"" + text + "\"";
  }
}
