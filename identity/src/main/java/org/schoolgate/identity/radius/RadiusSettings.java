package org.schoolgate.identity.radius;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.identity.binding.UserNameRule;

/**
 * The RADIUS accounting listener ({@code radius:} in the runtime configuration).
 *
 * @param listen the UDP address and port, usually {@code 0.0.0.0:1813}
 * @param clients the NASes allowed to send accounting; a datagram from elsewhere is dropped and counted
 * @param userNames how {@code User-Name} becomes a directory name (realms stripped, case folded)
 * @param bindingTime how long a Start or Interim-Update keeps the address bound when no Stop comes
 *     (set it above the controller's interim interval)
 * @param replayWindow how long a packet's NAS, identifier and authenticator are remembered: the
 *     same again within it is a replay (answered, never applied)
 */
public record RadiusSettings(InetSocketAddress listen, List<RadiusClient> clients, UserNameRule userNames,
    Duration bindingTime, Duration replayWindow) {
  /** The IANA RADIUS accounting port. */
  public static final int DEFAULT_PORT = 1813;
  public static final Duration DEFAULT_BINDING_TIME = Duration.ofHours(8);
  public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofSeconds(30);

  public RadiusSettings {
    Objects.requireNonNull(listen, "radius.listen");
    Objects.requireNonNull(userNames, "radius.user-names");
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("radius.clients is empty (expected: at least one NAS, e.g."
          + " { name: wlc, network: 10.0.0.10/32, secret-file: /etc/schoolgate/radius-wlc.secret })");
    }
    Set<String> names = new HashSet<>();
    for (RadiusClient c : clients) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("radius.clients: the name '" + c.name() + "' appears twice (expected: unique names)");
      }
    }
    List<RadiusClient> sorted = new ArrayList<>(clients);
    sorted.sort(Comparator.comparingInt((RadiusClient c) -> c.network().prefix()).reversed());
    clients = List.copyOf(sorted); // most specific first
    if (bindingTime == null || bindingTime.compareTo(Duration.ofMinutes(1)) < 0
        || bindingTime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("radius.binding-time is " + bindingTime
          + " (expected: between 1m and 7d, above the controller's interim-update interval, e.g. 8h)");
    }
    if (replayWindow == null || replayWindow.compareTo(Duration.ofSeconds(1)) < 0
        || replayWindow.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("radius.replay-window is " + replayWindow
          + " (expected: between 1s and 10m, e.g. 30s)");
    }
  }

  /** The NAS {@code address} belongs to (the most specific network), or null. */
  RadiusClient clientFor(InetAddress address) {
    for (RadiusClient c : clients) {
      if (c.covers(address)) {
        return c;
      }
    }
    return null;
  }
}
