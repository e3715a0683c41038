package org.schoolgate.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.proxy.content.AnalysisSettings;
import org.schoolgate.proxy.destination.DestinationSettings;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.log.export.LogExports;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.site.PageListenerSettings;
import org.schoolgate.proxy.transparent.TransparentSettings;
import org.schoolgate.proxy.transport.TransportChoice;

/**
 * How the proxy listens, times out, logs and resolves names. Validated when built; every message
 * names the field and the fix.
 *
 * <pre>{@code
 * ProxyConfig config = ProxyConfig.builder()
 *     .listen(new InetSocketAddress("0.0.0.0", 3128))
 *     .accessLogDir(Path.of("/var/log/schoolgate"))
 *     .requestAccessUrl("https://filter.school.example/request")
 *     .build();
 * }</pre>
 *
 * @param listen address and port to accept clients on (port 0 picks a free port)
 * @param accessLogDir directory for {@code access-YYYY-MM-DD.jsonl} files (created if missing)
 * @param requestAccessUrl absolute http(s) URL of the admin API's request page; the block page
 *     links to it with {@code ?url=...&category=...&group=...}
 * @param connectTimeout how long to wait for an origin to accept a connection (then 504)
 * @param idleTimeout how long a client or origin connection may stay silent (then closed / 504)
 * @param maxRequestLineBytes longest request line accepted; longer ones get a 414 page
 * @param staticHosts DNS overrides: host name → address, answered without a query (tests, split
 *     horizon); keys are normalised to lower case without a trailing dot
 * @param dnsServers name servers to query; empty means the system's resolv.conf
 * @param hostsFile hosts file whose names are answered without a query (default {@code
 *     /etc/hosts}); re-read within seconds when it changes; need not exist
 * @param workerThreads event loops serving clients and origins; 0 (the default) chooses {@link
 *     #automaticWorkerThreads} for the machine
 * @param interception the school CA's leaf certificates and the upstream trust for decrypting
 *     tunnels the policy selects ({@code interception:}); null: nothing is ever intercepted
 * @param connections limits, the head-read timeout, the upstream pool, the drain deadline and the
 *     transport ({@link Connections#DEFAULTS} unless set)
 * @param destinations the destination check's settings: the admin origin exempt from it and the
 *     key sent there, how often the proxy host's own addresses are read
 * @param exports copies of the access log for the tools schools already run (a squid-format
 *     file, syslog); {@link LogExports#NONE} for none
 * @param network how the proxy sits on the school network besides its port: transparent
 *     listeners, the PAC file, the page listener ({@link Network#NONE} unless set)
 * @param contentAnalysis the content-analysis threads, their queues and when analysis moves off
 *     the loops ({@link AnalysisSettings#DEFAULTS} unless set)
 */
public record ProxyConfig(
    InetSocketAddress listen,
    Path accessLogDir,
    String requestAccessUrl,
    Duration connectTimeout,
    Duration idleTimeout,
    int maxRequestLineBytes,
    Map<String, InetAddress> staticHosts,
    List<InetSocketAddress> dnsServers,
    Path hostsFile,
    int workerThreads,
    InterceptionSettings interception,
    Connections connections,
    DestinationSettings destinations,
    LogExports exports,
    Network network,
    AnalysisSettings contentAnalysis) {

  /** Default listen port, as squid. */
  public static final int DEFAULT_PORT = 3128;
  /** Most event loops one may ask for. */
  public static final int MAX_WORKER_THREADS = 256;

  public ProxyConfig {
    Objects.requireNonNull(listen, "proxy.listen is null (expected: an address such as 0.0.0.0:3128)");
    Objects.requireNonNull(accessLogDir,
        "proxy.accessLogDir is null (expected: a directory such as /var/log/schoolgate)");
    requestAccessUrl = checkRequestAccessUrl(requestAccessUrl);
    checkDuration("connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
    checkDuration("idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    if (maxRequestLineBytes < 256 || maxRequestLineBytes > 1 << 20) {
      throw new IllegalArgumentException("proxy.maxRequestLineBytes: " + maxRequestLineBytes
          + " (expected: 256..1048576; browsers send up to 8192)");
    }
    staticHosts = normaliseHosts(staticHosts);
    Objects.requireNonNull(dnsServers,
        "proxy.dnsServers is null (expected: a list, empty for the system resolv.conf)");
    for (InetSocketAddress server : dnsServers) {
      if (server == null || server.isUnresolved()) {
        throw new IllegalArgumentException("proxy.dnsServers: " + server
            + " (expected: an IP address and port such as 192.168.0.1:53)");
      }
    }
    dnsServers = List.copyOf(dnsServers);
    Objects.requireNonNull(hostsFile,
        "proxy.hostsFile is null (expected: a path such as /etc/hosts; it need not exist)");
    Objects.requireNonNull(destinations,
        "proxy.destinations is null (expected: DestinationSettings.NONE without an admin origin)");
    Objects.requireNonNull(exports, "proxy.exports is null (expected: LogExports.NONE for no copies)");
    if (workerThreads < 0 || workerThreads > MAX_WORKER_THREADS) {
      throw new IllegalArgumentException("proxy.workerThreads: " + workerThreads
          + " (expected: 0 for automatic, or 1.." + MAX_WORKER_THREADS + ")");
    }
    Objects.requireNonNull(connections,
        "proxy.connections is null (expected: ProxyConfig.Connections.DEFAULTS or your own)");
    Objects.requireNonNull(network, "proxy.network is null (expected: ProxyConfig.Network.NONE)");
    Objects.requireNonNull(contentAnalysis,
        "proxy.contentAnalysis is null (expected: AnalysisSettings.DEFAULTS or your own)");
  }

  /** A configuration with the default content-analysis threads ({@link AnalysisSettings#DEFAULTS}). */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers, Path hostsFile,
      int workerThreads, InterceptionSettings interception, Connections connections,
      DestinationSettings destinations, LogExports exports, Network network) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, hostsFile, workerThreads, interception, connections, destinations,
        exports, network, AnalysisSettings.DEFAULTS);
  }

  /** A configuration without transparent listeners, PAC settings or page listener. */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers, Path hostsFile,
      int workerThreads, InterceptionSettings interception, Connections connections,
      DestinationSettings destinations, LogExports exports) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, hostsFile, workerThreads, interception, connections, destinations,
        exports, Network.NONE);
  }

  /**
   * How the proxy sits on the school network besides its own port.
   *
   * @param transparent listeners for connections the router redirects (null: none)
   * @param pac what the PAC file on the proxy port ({@code /proxy.pac}, {@code /wpad.dat}) says
   * @param pages the page listener at the DNS filter's block-page address (null: none)
   */
  public record Network(TransparentSettings transparent, PacSettings pac,
      PageListenerSettings pages) {
    /** No transparent listeners, the default PAC file, no page listener. */
    public static final Network NONE = new Network(null, PacSettings.DEFAULTS, null);

    public Network {
      Objects.requireNonNull(pac, "proxy.pac is null (expected: PacSettings.DEFAULTS)");
    }
  }

  /**
   * A configuration with the default connection limits and no admin origin ({@link
   * Connections#DEFAULTS}, {@link DestinationSettings#NONE}).
   */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers, Path hostsFile,
      int workerThreads, InterceptionSettings interception) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, hostsFile, workerThreads, interception, Connections.DEFAULTS,
        DestinationSettings.NONE);
  }

  /**
   * How the proxy holds connections. Validated when built; every message names the field.
   *
   * @param headTimeout how long a request head (request line and headers) may take to arrive
   *     whole, from the connection's start or the first byte of a later request; then 408 and
   *     closed (slowloris)
   * @param maxConnections most client connections open at once; more are closed on arrival
   * @param maxConnectionsPerClient most open connections from one client address
   * @param upstreamIdleTimeout how long an idle keep-alive origin connection is kept for reuse
   * @param maxIdlePerOrigin most idle connections kept per origin (address, port, TLS name) and
   *     event loop; enough for a burst of responses from one busy origin to all go back to the
   *     pool (below that, every response past it closes its connection and the next request opens
   *     a new one)
   * @param drainTimeout on stop, how long exchanges in flight may take to finish
   * @param transport the socket layer: {@code AUTO} (io_uring on Linux when it loads and passes a
   *     start-up probe, else epoll when it loads, else NIO; the default), {@code EPOLL}, {@code IO_URING} (start fails where it cannot load) or {@code NIO}
   * @param transparent accept connections addressed to other hosts ({@code IP_TRANSPARENT}, for
   *     a transparent mode; needs a native transport and CAP_NET_ADMIN); off by default
   */
  public record Connections(Duration headTimeout, int maxConnections, int maxConnectionsPerClient,
      Duration upstreamIdleTimeout, int maxIdlePerOrigin, Duration drainTimeout,
      TransportChoice transport, boolean transparent) {
    /**
     * 10 s head, 20,000 connections, 1,000 per address, 30 s pooled, 128 per origin, 10 s drain,
     * automatic transport.
     */
    public static final Connections DEFAULTS = new Connections(Duration.ofSeconds(10), 20_000,
        1_000, Duration.ofSeconds(30), 128, Duration.ofSeconds(10), TransportChoice.AUTO, false);

    public Connections {
      Objects.requireNonNull(transport,
          "proxy.transport is null (expected: auto, epoll, io_uring or nio)");
      if (transparent && transport == TransportChoice.NIO) {
        throw new IllegalArgumentException("proxy.transport: nio cannot accept transparent"
            + " connections (expected: auto, epoll or io_uring with transparent on)");
      }
      checkDuration("headTimeout", headTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
      checkDuration("upstreamIdleTimeout", upstreamIdleTimeout, Duration.ofSeconds(1),
          Duration.ofHours(1));
      checkDuration("drainTimeout", drainTimeout, Duration.ZERO, Duration.ofMinutes(10));
      if (maxConnections < 1 || maxConnections > 1_000_000) {
        throw new IllegalArgumentException("proxy.maxConnections: " + maxConnections
            + " (expected: 1..1000000)");
      }
      if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
        throw new IllegalArgumentException("proxy.maxConnectionsPerClient: "
            + maxConnectionsPerClient + " (expected: 1..maxConnections, " + maxConnections + ")");
      }
      if (maxIdlePerOrigin < 0 || maxIdlePerOrigin > 1024) {
        throw new IllegalArgumentException("proxy.maxIdlePerOrigin: " + maxIdlePerOrigin
            + " (expected: 0..1024; 0 turns upstream reuse off)");
      }
    }

    public Connections withHeadTimeout(Duration d) {
      return new Connections(d, maxConnections, maxConnectionsPerClient, upstreamIdleTimeout,
          maxIdlePerOrigin, drainTimeout, transport, transparent);
    }

    public Connections withLimits(int total, int perClient) {
      return new Connections(headTimeout, total, perClient, upstreamIdleTimeout, maxIdlePerOrigin,
          drainTimeout, transport, transparent);
    }

    public Connections withUpstreamPool(Duration idle, int perOrigin) {
      return new Connections(headTimeout, maxConnections, maxConnectionsPerClient, idle,
          perOrigin, drainTimeout, transport, transparent);
    }

    public Connections withDrainTimeout(Duration d) {
      return new Connections(headTimeout, maxConnections, maxConnectionsPerClient,
          upstreamIdleTimeout, maxIdlePerOrigin, d, transport, transparent);
    }

    public Connections withTransport(TransportChoice t, boolean transparent) {
      return new Connections(headTimeout, maxConnections, maxConnectionsPerClient,
          upstreamIdleTimeout, maxIdlePerOrigin, drainTimeout, t, transparent);
    }
  }

  /** A configuration reading the system's {@code /etc/hosts}. */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, DnsSettings.SYSTEM_HOSTS_FILE, 0);
  }

  /** A configuration without interception. */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers, Path hostsFile,
      int workerThreads) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, hostsFile, workerThreads, null);
  }

  /** A configuration without copies of the access log ({@link LogExports#NONE}). */
  public ProxyConfig(InetSocketAddress listen, Path accessLogDir, String requestAccessUrl,
      Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      Map<String, InetAddress> staticHosts, List<InetSocketAddress> dnsServers, Path hostsFile,
      int workerThreads, InterceptionSettings interception, Connections connections,
      DestinationSettings destinations) {
    this(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout, maxRequestLineBytes,
        staticHosts, dnsServers, hostsFile, workerThreads, interception, connections, destinations,
        LogExports.NONE);
  }

  /**
   * Event loops for a machine with {@code cores} cores: one per core but one, which is left to
   * the JVM (JIT, GC), the access-log writer and the admin API; at least one. Every loop both
   * serves clients and talks to origins, so a loop never waits for another. On the 2-core build
   * machine one loop beat two in every benchmark scenario (less idling and waking per request).
   */
  public static int automaticWorkerThreads(int cores) {
    return Math.max(1, cores - 1);
  }

  /** Defaults: 0.0.0.0:3128, logs in ./logs, 10 s connect, 70 s idle, 8192-byte request line. */
  public static ProxyConfig defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .listen(listen)
        .accessLogDir(accessLogDir)
        .requestAccessUrl(requestAccessUrl)
        .connectTimeout(connectTimeout)
        .idleTimeout(idleTimeout)
        .maxRequestLineBytes(maxRequestLineBytes)
        .staticHosts(staticHosts)
        .dnsServers(dnsServers)
        .hostsFile(hostsFile)
        .workerThreads(workerThreads)
        .interception(interception)
        .connections(connections)
        .destinations(destinations)
        .exports(exports)
        .network(network)
        .contentAnalysis(contentAnalysis);
  }

  private static String checkRequestAccessUrl(String url) {
    String hint = " (expected: an absolute http(s) URL such as http://127.0.0.1:8080/request)";
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("proxy.requestAccessUrl is empty" + hint);
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("proxy.requestAccessUrl: '" + url + "' is not a URL" + hint);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("proxy.requestAccessUrl: '" + url + "'" + hint
          .replace(")", ", without query or fragment)"));
    }
    return url.trim();
  }

  private static void checkDuration(String field, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("proxy." + field + ": " + value
          + " (expected: between " + min + " and " + max + ")");
    }
  }

  private static Map<String, InetAddress> normaliseHosts(Map<String, InetAddress> hosts) {
    Objects.requireNonNull(hosts, "proxy.staticHosts is null (expected: a map, possibly empty)");
    Map<String, InetAddress> out = new LinkedHashMap<>();
    hosts.forEach((name, address) -> {
      if (name == null || name.isBlank() || address == null) {
        throw new IllegalArgumentException("proxy.staticHosts: '" + name + "' -> " + address
            + " (expected: a host name mapped to an IP address)");
      }
      String key = name.trim().toLowerCase(Locale.ROOT);
      if (key.endsWith(".")) {
        key = key.substring(0, key.length() - 1);
      }
      out.put(key, address);
    });
    return Map.copyOf(out);
  }

  /** Builds a {@link ProxyConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress(DEFAULT_PORT);
    private Path accessLogDir = Path.of("logs");
    private String requestAccessUrl = "http://127.0.0.1:8080/request";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(70);
    private int maxRequestLineBytes = 8192;
    private Map<String, InetAddress> staticHosts = Map.of();
    private List<InetSocketAddress> dnsServers = List.of();
    private Path hostsFile = DnsSettings.SYSTEM_HOSTS_FILE;
    private int workerThreads;
    private InterceptionSettings interception;
    private Connections connections = Connections.DEFAULTS;
    private DestinationSettings destinations = DestinationSettings.NONE;
    private LogExports exports = LogExports.NONE;
    private Network network = Network.NONE;
    private AnalysisSettings contentAnalysis = AnalysisSettings.DEFAULTS;

    private Builder() {}

    /** Content-analysis threads and queues (default: {@link AnalysisSettings#DEFAULTS}). */
    public Builder contentAnalysis(AnalysisSettings contentAnalysis) {
      this.contentAnalysis = contentAnalysis;
      return this;
    }

    /** Transparent listeners, the PAC file, the page listener (default: {@link Network#NONE}). */
    public Builder network(Network network) {
      this.network = network;
      return this;
    }

    /** Limits, timeouts, upstream pool, drain and transport. */
    public Builder connections(Connections connections) {
      this.connections = connections;
      return this;
    }

    /** The admin origin exempt from the destination check and its key (default: none). */
    public Builder destinations(DestinationSettings destinations) {
      this.destinations = destinations;
      return this;
    }

    /** Leaf certificates and upstream trust for interception; null (the default): none. */
    public Builder exports(LogExports exports) {
      this.exports = exports;
      return this;
    }

    public Builder interception(InterceptionSettings interception) {
      this.interception = interception;
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = listen;
      return this;
    }

    public Builder accessLogDir(Path accessLogDir) {
      this.accessLogDir = accessLogDir;
      return this;
    }

    public Builder requestAccessUrl(String requestAccessUrl) {
      this.requestAccessUrl = requestAccessUrl;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder maxRequestLineBytes(int maxRequestLineBytes) {
      this.maxRequestLineBytes = maxRequestLineBytes;
      return this;
    }

    public Builder staticHosts(Map<String, InetAddress> staticHosts) {
      this.staticHosts = staticHosts;
      return this;
    }

    public Builder dnsServers(List<InetSocketAddress> dnsServers) {
      this.dnsServers = dnsServers;
      return this;
    }

    public Builder hostsFile(Path hostsFile) {
      this.hostsFile = hostsFile;
      return this;
    }

    /** 0: automatic ({@link ProxyConfig#automaticWorkerThreads}). */
    public Builder workerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
      return this;
    }

    /** Validates and builds; throws IllegalArgumentException naming the bad field. */
    public ProxyConfig build() {
      return new ProxyConfig(listen, accessLogDir, requestAccessUrl, connectTimeout, idleTimeout,
          maxRequestLineBytes, staticHosts, dnsServers, hostsFile, workerThreads, interception,
          connections, destinations, exports, network, contentAnalysis);
    }
  }
}
