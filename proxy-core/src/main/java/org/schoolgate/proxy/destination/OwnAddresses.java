package org.schoolgate.proxy.destination;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy host's own addresses (every address of every interface, up or down), read now and
 * then every {@code refresh} on the daemon thread {@code schoolgate-own-addresses}, and published
 * as an immutable set in a volatile field: lookups on the event loop never touch the system.
 * A failed read keeps the last set (and is logged).
 */
public final class OwnAddresses implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnAddresses.class);

  private final ScheduledExecutorService poller;
  private volatile Set<InetAddress> addresses;

  /** Reads the addresses now and then every {@code refresh}. */
  public OwnAddresses(Duration refresh) {
    this.addresses = read(Set.of());
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schoolgate-own-addresses");
      t.setDaemon(true);
      return t;
    });
    long period = refresh.toNanos();
    poller.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.NANOSECONDS);
  }

  /** Reads the interfaces again now (blocking; never call it on an event loop). */
  public void refresh() {
    addresses = read(addresses);
  }

  /** True when {@code address} is one of this host's interface addresses. Allocates nothing. */
  public boolean contains(InetAddress address) {
    return addresses.contains(address);
  }

  /**
   * True when {@code client} is on this host: loopback, the wildcard, or one of its interface
   * addresses.
   */
  public boolean isLocal(InetAddress client) {
    return client.isLoopbackAddress() || client.isAnyLocalAddress() || addresses.contains(client);
  }

  /** The current set (for tests and logs). */
  public Set<InetAddress> current() {
    return addresses;
  }

  private static Set<InetAddress> read(Set<InetAddress> previous) {
    Set<InetAddress> out = new HashSet<>();
    try {
      Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
      while (interfaces != null && interfaces.hasMoreElements()) {
        Enumeration<InetAddress> each = interfaces.nextElement().getInetAddresses();
        while (each.hasMoreElements()) {
          out.add(withoutScope(each.nextElement()));
        }
      }
    } catch (SocketException | RuntimeException e) {
      log.warn("could not read this host's interface addresses; keeping the last {}: {}",
          previous.size(), e.toString());
      return previous;
    }
    Set<InetAddress> read = Set.copyOf(out);
    if (!read.equals(previous) && !previous.isEmpty()) {
      log.info("this host's addresses changed: {} now", read.size());
    }
    return read;
  }

  /** IPv6 link-local addresses carry a scope; the address a connection goes to has none. */
  private static InetAddress withoutScope(InetAddress a) {
    if (a instanceof java.net.Inet6Address v6 && v6.getScopeId() != 0) {
      try {
        return InetAddress.getByAddress(a.getAddress());
      } catch (java.net.UnknownHostException e) {
        return a;
      }
    }
    return a;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
