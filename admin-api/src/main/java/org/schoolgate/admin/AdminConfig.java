package org.schoolgate.admin;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the admin API listens. There is no authentication yet, so the default is loopback only.
 *
 * @param listen address and port; port 0 picks a free port (see {@link AdminServer#port()})
 */
public record AdminConfig(InetSocketAddress listen) {
  /** The default listen address, {@code 127.0.0.1:8080}. */
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress("127.0.0.1", 8080);

  public AdminConfig {
    Objects.requireNonNull(listen, "admin listen address (expected: host:port such as 127.0.0.1:8080)");
    if (listen.isUnresolved()) {
      throw new IllegalArgumentException("admin listen address " + listen.getHostString()
          + " could not be resolved (expected: an IP address such as 127.0.0.1)");
    }
  }

  /** The defaults: loopback, port 8080. */
  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_LISTEN);
  }
}
