package org.schoolgate.proxy.transport;

import java.util.Locale;

/**
 * The transport a school asks for ({@code proxy.transport}): {@link #AUTO} takes io_uring where it
 * loads and passes a start-up probe, else epoll, else Java NIO (the default); {@link #EPOLL} and {@link #IO_URING} insist on that
 * native transport and stop the proxy from starting where it is unavailable; {@link #NIO} is Java's
 * portable one.
 */
public enum TransportChoice {
  AUTO, EPOLL, IO_URING, NIO;

  /** As written in the configuration: {@code auto}, {@code epoll}, {@code io_uring}, {@code nio}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The choice written as {@code value}.
   *
   * @throws IllegalArgumentException naming the value and the four accepted ones
   */
  public static TransportChoice parse(String value) {
    for (TransportChoice c : values()) {
      if (c.configName().equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("'" + value
        + "' is not a transport (expected: auto, epoll, io_uring or nio)");
  }
}
