package org.schoolgate.proxy.destination;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.schoolgate.policy.model.NetworkConfig;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.destination.AddressKind;
import org.schoolgate.policy.destination.AddressTable;
import org.schoolgate.policy.destination.MetadataNames;
import org.schoolgate.policy.url.UrlParser;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.DestinationRefusal;

/**
 * The destination check every pipeline calls once the address to connect to is known (and once
 * before resolving, for names refused whatever they resolve to). It knows the proxy host (its
 * own addresses, {@link OwnAddresses}) and the school's admin origin; the policy decides the rest
 * ({@link PolicySnapshot#decideDestination}).
 *
 * <pre>{@code
 * Destination d = guard.check(snapshot, group, "vle.school.example", 443, address, client);
 * switch (d) {
 *   case Destination.Open o -> connect(address);
 *   case Destination.AdminOrigin a -> { AdminForwarding.apply(headers, client, guard.proxyKey()); connect(address); }
 *   case Destination.Refused r -> refuse(r.decision());   // 403, access log, metrics
 * }
 * }</pre>
 *
 * <p>Runs on the event loop: no I/O, no locks; for allowed IPv4 addresses no allocation (IPv6
 * costs one 16-byte copy: the JDK has no other accessor). A failure or a missing policy refuses
 * (fail closed). Refusals are counted in {@link ProxyMetrics#DESTINATION_REFUSED}.
 */
public final class DestinationGuard implements AutoCloseable {
  private static final FastThreadLocal<byte[]> V4 = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[4];
    }
  };

  private final OwnAddresses own;
  private final ProxyMetrics metrics;
  private final String adminHost;
  private final int adminPort;
  private final String proxyKey;

  /** A guard reading the proxy host's addresses every {@code settings.refresh()}. */
  public DestinationGuard(DestinationSettings settings, ProxyMetrics metrics) {
    this(settings, new OwnAddresses(settings.refresh()), metrics);
  }

  DestinationGuard(DestinationSettings settings, OwnAddresses own, ProxyMetrics metrics) {
    this.own = own;
    this.metrics = metrics;
    this.adminHost = settings.adminOrigin() == null ? null
        : UrlParser.normalizeHost(settings.adminOrigin().getHost());
    this.adminPort = settings.adminPort();
    this.proxyKey = settings.proxyKey();
  }

  /** True when {@code client} is on the proxy host (loopback or one of its addresses). */
  public boolean isLocalClient(InetAddress client) {
    return own.isLocal(client);
  }

  /**
   * True when {@code host} (normalised by {@code UrlParser}) and {@code port} are the admin
   * origin's ({@code admin.public-url}); false without one. Allocates nothing.
   */
  public boolean isAdminOrigin(String host, int port) {
    return adminHost != null && port == adminPort && adminHost.equals(host);
  }

  /** The key the proxy sends the admin origin (null without an admin origin). */
  public String proxyKey() {
    return proxyKey;
  }

  /**
   * The check before the name is resolved: a cloud metadata name is refused for clients not on
   * the proxy host. {@code host} is normalised by {@code UrlParser}.
   */
  public Destination checkName(PolicySnapshot snapshot, GroupId group, String host,
      InetAddress client) {
    try {
      if (snapshot == null) {
        return refused(unchecked(group), DestinationRefusal.UNCHECKED);
      }
      Decision d = snapshot.decideDestinationName(group, host, own.isLocal(client));
      return d.blocked() ? refused(d, DestinationRefusal.METADATA) : Destination.OPEN;
    } catch (RuntimeException e) {
      return refused(unchecked(group), DestinationRefusal.UNCHECKED);
    }
  }

  /**
   * The check on {@code address}:{@code port}, where the connection for a request that named
   * {@code host} (normalised) is about to go, for {@code client} of {@code group}.
   */
  public Destination check(PolicySnapshot snapshot, GroupId group, String host, int port,
      InetAddress address, InetAddress client) {
    try {
      if (snapshot == null || address == null) {
        return refused(unchecked(group), DestinationRefusal.UNCHECKED);
      }
      if (isAdminOrigin(host, port) && !address.isLoopbackAddress()
          && !address.isAnyLocalAddress() && !address.isLinkLocalAddress()) {
        return Destination.ADMIN_ORIGIN; // clients reach it without the proxy anyway
      }
      boolean ownAddress = own.contains(address);
      // a personally owned device (identification ... device: personal) reaches the internet only
      boolean personal = snapshot.network(client).device() == NetworkConfig.DeviceClass.PERSONAL;
      Decision d = snapshot.decideDestination(group, host, bytes(address), port,
          own.isLocal(client), ownAddress, personal);
      if (!d.blocked()) {
        return Destination.OPEN;
      }
      return refused(d, why(host, address, ownAddress, personal, d));
    } catch (RuntimeException e) {
      return refused(unchecked(group), DestinationRefusal.UNCHECKED);
    }
  }

  private Destination refused(Decision d, DestinationRefusal why) {
    metrics.destinationRefused(why);
    return new Destination.Refused(d, why.tag());
  }

  private static DestinationRefusal why(String host, InetAddress address, boolean ownAddress,
      boolean personal, Decision d) {
    if (d.rule() != Rule.INTERNAL_DESTINATION) {
      return DestinationRefusal.UNCHECKED;
    }
    if (personal && !MetadataNames.is(host)) {
      return DestinationRefusal.PERSONAL_DEVICE;
    }
    if (ownAddress) {
      return DestinationRefusal.PROXY_HOST;
    }
    if (MetadataNames.is(host)) {
      return DestinationRefusal.METADATA;
    }
    AddressKind kind = AddressTable.BUILT_IN.kind(address.getAddress());
    switch (kind) {
      case PROXY_HOST:
        return DestinationRefusal.PROXY_HOST;
      case LINK_LOCAL:
        return DestinationRefusal.LINK_LOCAL;
      case RESERVED:
        return DestinationRefusal.RESERVED;
      default:
        return DestinationRefusal.INTERNAL; // built-in internal or the school's own ranges
    }
  }

  private static Decision unchecked(GroupId group) {
    return new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED,
        group == null ? new GroupId(ProxyMetrics.UNKNOWN_GROUP) : group, CategorySet.EMPTY, null,
        "the filter could not check the site's address, so the connection is refused to be safe");
  }

  /** The address's bytes: IPv4 into this thread's scratch array (no allocation). */
  private static byte[] bytes(InetAddress address) {
    if (address instanceof Inet4Address) {
      int a = address.hashCode(); // Inet4Address's hash code is its address
      byte[] b = V4.get();
      b[0] = (byte) (a >>> 24);
      b[1] = (byte) (a >>> 16);
      b[2] = (byte) (a >>> 8);
      b[3] = (byte) a;
      return b;
    }
    return address.getAddress();
  }

  @Override
  public void close() {
    own.close();
  }
}
