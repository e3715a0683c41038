package org.schoolgate.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.dns.CacheOnlyHostResolver;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.proxy.filter.MalformedRequestGuard;
import org.schoolgate.proxy.filter.SchoolgateFilters;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.policy.InterceptChoice;
import java.util.List;
import org.schoolgate.proxy.dns.DnsGate;
import org.schoolgate.proxy.log.AccessEventSink;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.export.LogExporter;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;

/**
 * The filtering forward proxy: HTTP (absolute-form, keep-alive, streamed bodies) and HTTPS
 * tunnels (CONNECT, decided on the CONNECT host), on LittleProxy.
 *
 * <pre>{@code
 * PolicyHolder policy = PolicyHolder.load(Path.of("policy.yaml"), Clock.systemUTC());
 * try (ProxyServer proxy = ProxyServer.start(ProxyConfig.defaults(), policy::current,
 *     registry, Clock.systemUTC())) {
 *   System.out.println("proxy on " + proxy.address());
 *   ...
 * }
 * }</pre>
 *
 * <p>Each request reads {@code policy.get()} once, so a reload takes effect for the next request
 * without dropping connections.
 */
public final class ProxyServer implements AutoCloseable {
  private static final int ACCESS_LOG_QUEUE = 65_536;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProxyServer.class);
  /** A plain allowed decision, to ask the policy whether any group intercepts search sites. */
  private static final org.schoolgate.policy.Decision ALLOWED = new org.schoolgate.policy.Decision.Allow(
      org.schoolgate.policy.Level.ACCEPTABLE, org.schoolgate.policy.Rule.DEFAULT,
      new org.schoolgate.policy.GroupId("startup-check"), org.schoolgate.policy.CategorySet.EMPTY,
      null, "start-up check");
  /** How long a new CONNECT tunnel may take to send its TLS ClientHello before it is judged not TLS. */
  static final java.time.Duration TLS_HELLO_TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final HttpProxyServer server;
  private final ConnectionSetup setup;
  private final AccessLog accessLog;
  private final LogExporter exporter;
  private final DnsService dns;
  private final DestinationGuard destinations;
  private final InetSocketAddress address;
  private volatile boolean closed;

  private ProxyServer(HttpProxyServer server, ConnectionSetup setup, AccessLog accessLog,
      LogExporter exporter, DnsService dns, DestinationGuard destinations) {
    this.server = server;
    this.setup = setup;
    this.accessLog = accessLog;
    this.exporter = exporter;
    this.dns = dns;
    this.destinations = destinations;
    this.address = server.getListenAddress();
  }

  /**
   * Binds {@code config.listen()} and starts serving. Meters are registered in {@code registry}
   * at once (see {@link ProxyMetrics}); {@code clock} stamps requests and chooses schedules.
   *
   * @throws IllegalStateException if the address cannot be bound or the log directory created
   */
  public static ProxyServer start(ProxyConfig config, Supplier<PolicySnapshot> policy,
      MeterRegistry registry, Clock clock) {
    return start(config, policy, registry, clock, AccessEventSink.NONE);
  }

  /**
   * Like {@link #start(ProxyConfig, Supplier, MeterRegistry, Clock)}, and hands every access event
   * to {@code sink} on the access-log writer thread after it is written. The sink must not block
   * (see {@link AccessEventSink}); the proxy never waits for it.
   */
  public static ProxyServer start(ProxyConfig config, Supplier<PolicySnapshot> policy,
      MeterRegistry registry, Clock clock, AccessEventSink sink) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    ProxyMetrics metrics = new ProxyMetrics(registry);
    PolicySnapshot first = policy.get();
    if (first != null) {
      metrics.ensureGroups(first.groups());
    }
    Pages pages = new Pages(config.requestAccessUrl());
    LogExporter exporter = LogExporter.start(config.exports(), config.accessLogDir(), metrics);
    AccessLog accessLog = AccessLog.start(config.accessLogDir(), ACCESS_LOG_QUEUE, metrics,
        config.exports().any() ? AccessEventSink.both(exporter, sink) : sink);
    DnsService dns = DnsService.create(config.staticHosts(), config.dnsServers(),
        DnsSettings.DEFAULTS.withHostsFile(config.hostsFile(), DnsSettings.DEFAULT_HOSTS_REFRESH),
        metrics);
    DestinationGuard destinations = new DestinationGuard(config.destinations(), metrics);
    try {
      int threads = config.workerThreads() > 0 ? config.workerThreads()
          : ProxyConfig.automaticWorkerThreads(Runtime.getRuntime().availableProcessors());
      ConnectionSetup setup = new ConnectionSetup(pages, metrics, accessLog, clock, policy,
          TLS_HELLO_TIMEOUT);
      boolean intercepting = config.interception() != null;
      SchoolgateFilters filters = new SchoolgateFilters(policy, dns, pages, metrics, clock,
          config.connectTimeout(), intercepting, destinations);
      if (intercepting) {
        setup.interceptor(new Interceptor(config.interception(), filters.interceptedRequests(),
            dns, pages, metrics, config.connectTimeout(), List.of(MalformedRequestGuard.NAME,
                CloseAfterResponse.NAME, DnsGate.NAME)));
      } else {
        warnIfPolicyIntercepts(first);
      }
      SchoolgateServerGroup group = new SchoolgateServerGroup("schoolgate", threads, setup);
      HttpProxyServer server = DefaultHttpProxyServer.bootstrap()
          .withName("schoolgate")
          .withServerGroup(group)
          .withAddress(config.listen())
          .withProxyAlias("schoolgate")
          .withFiltersSource(filters)
          .withServerResolver(new CacheOnlyHostResolver(dns))
          .withConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
          .withIdleConnectionTimeout(config.idleTimeout())
          .withMaxInitialLineLength(config.maxRequestLineBytes())
          .withTransparent(false)
          .start();
      return new ProxyServer(server, setup, accessLog, exporter, dns, destinations);
    } catch (RuntimeException e) {
      destinations.close();
      dns.close();
      accessLog.close();
      exporter.close();
      throw new IllegalStateException("proxy could not start on " + config.listen() + ": "
          + e.getMessage() + " (expected: a free port and an address of this machine)", e);
    }
  }

  /**
   * Logs once at start when the policy has an {@code interception:} section but the proxy has no
   * interception settings (no school CA): nothing will be intercepted.
   */
  private static void warnIfPolicyIntercepts(PolicySnapshot snapshot) {
    if (snapshot == null) {
      return;
    }
    boolean any = false;
    for (org.schoolgate.policy.GroupId g : snapshot.groups()) {
      any |= snapshot.interception(g, "www.google.com", ALLOWED) != InterceptChoice.NONE;
    }
    if (any) {
      log.warn("the policy asks for interception (interception:), but the proxy has no school CA"
          + " configured: no tunnel will be intercepted");
    }
  }

  /** The address actually bound (the real port when the configured port was 0). */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * Waits until every access event of requests completed so far is on disk. For tests and
   * orderly shutdown; never call it on an event loop.
   */
  public void flushAccessLog(Duration timeout) throws InterruptedException, TimeoutException {
    accessLog.flush(timeout);
  }

  /**
   * The proxy's access log, for other listeners whose events belong in the same daily files (the
   * filtering DNS resolver's queries): one writer thread, so lines never interleave. Close the
   * other listeners before the proxy, whose {@link #close} closes the log.
   */
  public AccessLog accessLog() {
    return accessLog;
  }

  /** Closes all connections, stops the threads, and flushes the access log. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // close clients first so LittleProxy tears its upstream connections down while the
      // event loops still run; then stop the loops without a quiet period
      setup.clients().close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
      server.abort();
    } finally {
      destinations.close();
      dns.close();
      accessLog.close();
      exporter.close(); // after the access log, whose thread writes to it
    }
  }
}
