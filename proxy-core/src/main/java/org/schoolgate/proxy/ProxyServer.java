package org.schoolgate.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.Decisions;
import org.schoolgate.proxy.identity.Identities;
import org.schoolgate.proxy.http.ClientPipeline;
import org.schoolgate.proxy.http.FrontServices;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.proxy.limits.ConnectionLimiter;
import org.schoolgate.proxy.log.AccessEventSink;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.AccessLogStatus;
import org.schoolgate.proxy.log.export.LogExporter;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.content.BodyAnalysis;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.site.PageListenerSettings;
import org.schoolgate.proxy.site.ProxySite;
import org.schoolgate.proxy.transparent.OriginalDestinations;
import org.schoolgate.proxy.transparent.TransparentMode;
import org.schoolgate.proxy.transparent.TransparentSettings;
import org.schoolgate.proxy.transport.Transport;
import org.schoolgate.proxy.tunnel.Tunnels;
import org.schoolgate.proxy.upstream.UpstreamTls;
import org.schoolgate.proxy.upstream.Upstreams;

/**
 * The filtering forward proxy on plain Netty: HTTP (absolute-form, keep-alive, pipelined,
 * streamed bodies), CONNECT tunnels (decided on the CONNECT host, then on the TLS ClientHello)
 * and selective interception.
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
 * without dropping connections. {@link #close} drains: it stops accepting, lets exchanges in
 * flight finish (closing each connection after its current answer) up to the configured
 * deadline, then closes what is left.
 */
public final class ProxyServer implements AutoCloseable {
  private static final int ACCESS_LOG_QUEUE = 65_536;
  /** Idle upstream connections kept per event loop, all origins together. */
  private static final int MAX_IDLE_UPSTREAMS_PER_LOOP = 4_096;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProxyServer.class);
  /** A plain allowed decision, to ask the policy whether any group intercepts search sites. */
  private static final org.schoolgate.policy.Decision ALLOWED = new org.schoolgate.policy.Decision.Allow(
      org.schoolgate.policy.Level.ACCEPTABLE, org.schoolgate.policy.Rule.DEFAULT,
      new org.schoolgate.policy.GroupId("startup-check"), org.schoolgate.policy.CategorySet.EMPTY,
      null, "start-up check");
  /** How long a new CONNECT tunnel may take to send its TLS ClientHello before it is judged not TLS. */
  static final Duration TLS_HELLO_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private final EventLoopGroup loops;
  private final List<Channel> listeners;
  private final ChannelGroup clients;
  private final FrontServices.Drain drain;
  private final Duration drainTimeout;
  private final AccessLog accessLog;
  private final LogExporter exporter;
  private final DnsService dns;
  private final DestinationGuard destinations;
  private final ProxyMetrics metrics;
  private final InetSocketAddress address;
  private final Map<ClientSession.Listener, InetSocketAddress> others;
  private volatile boolean closed;

  /** Content analysis threads for when a loop cannot keep up (closed after the loops). */
  private final org.schoolgate.proxy.content.AnalysisExecutor analysis;

  private ProxyServer(EventLoopGroup loops, List<Channel> listeners, ChannelGroup clients,
      FrontServices.Drain drain, Duration drainTimeout, AccessLog accessLog, LogExporter exporter,
      DnsService dns, DestinationGuard destinations, ProxyMetrics metrics,
      Map<ClientSession.Listener, InetSocketAddress> others,
      org.schoolgate.proxy.content.AnalysisExecutor analysis) {
    this.analysis = analysis;
    this.loops = loops;
    this.listeners = listeners;
    this.clients = clients;
    this.drain = drain;
    this.drainTimeout = drainTimeout;
    this.accessLog = accessLog;
    this.exporter = exporter;
    this.dns = dns;
    this.destinations = destinations;
    this.metrics = metrics;
    this.address = (InetSocketAddress) listeners.get(0).localAddress();
    this.others = Map.copyOf(others);
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
    return start(config, policy, registry, clock, sink, null);
  }

  /**
   * Like {@link #start(ProxyConfig, Supplier, MeterRegistry, Clock, AccessEventSink)}, and asks
   * {@code identity} who is behind each request where the client's network reads proxy sign-in or
   * trusts address bindings (407 / 503 pages when no person comes of it); null identifies by the
   * client's subnet only.
   */
  public static ProxyServer start(ProxyConfig config, Supplier<PolicySnapshot> policy,
      MeterRegistry registry, Clock clock, AccessEventSink sink, IdentityService identity) {
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
    ProxyConfig.Connections c = config.connections();
    Transport transport = Transport.choose(c.transport()); // first: it may refuse to start
    BodyAnalysis.warmUp(); // Brotli's native library and the charsets, loaded here, not on a loop
    Pages pages = new Pages(config.requestAccessUrl());
    LogExporter exporter = LogExporter.start(config.exports(), config.accessLogDir(), metrics);
    AccessLog accessLog = AccessLog.start(config.accessLogDir(), ACCESS_LOG_QUEUE, metrics,
        config.exports().any() ? AccessEventSink.both(exporter, sink) : sink, clock);
    DnsService dns = DnsService.create(config.staticHosts(), config.dnsServers(),
        DnsSettings.DEFAULTS.withHostsFile(config.hostsFile(), DnsSettings.DEFAULT_HOSTS_REFRESH),
        metrics);
    int threads = config.workerThreads() > 0 ? config.workerThreads()
        : ProxyConfig.automaticWorkerThreads(Runtime.getRuntime().availableProcessors());
    EventLoopGroup loops = transport.loops(threads, "schoolgate-worker");
    DestinationGuard destinations = new DestinationGuard(config.destinations(), metrics);
    org.schoolgate.proxy.content.AnalysisExecutor analysis = null;
    try {
      boolean intercepting = config.interception() != null;
      if (!intercepting) {
        warnIfPolicyIntercepts(first);
      }
      Upstreams upstreams = new Upstreams(transport, loops,
          intercepting ? new UpstreamTls(config.interception().extraTrustedCas()) : null,
          config.connectTimeout(), config.idleTimeout(), c.upstreamIdleTimeout(),
          c.maxIdlePerOrigin(), MAX_IDLE_UPSTREAMS_PER_LOOP, metrics);
      ClientPipeline[] pipeline = new ClientPipeline[1]; // the interceptor's HTTP layer, built below
      Interceptor interceptor = intercepting ? new Interceptor(config.interception().leaves(),
          metrics, (client, host, port) -> pipeline[0].install(client, host, port)) : null;
      ProxyConfig.Network network = config.network();
      ProxySite site = new ProxySite(network.pac(),
          intercepting ? config.interception().caCertificate() : null, config.listen().getPort());
      Decisions decisions = new Decisions(policy, pages, metrics, clock, intercepting,
          destinations, new Identities(identity), site);
      Tunnels tunnels = new Tunnels(policy, metrics, clock, TLS_HELLO_TIMEOUT, pages, dns,
          upstreams, interceptor, decisions.destinations(), config.idleTimeout());
      FrontServices.Drain drain = new FrontServices.Drain();
      analysis = org.schoolgate.proxy.content.AnalysisExecutor.start(config.contentAnalysis(), threads);
      metrics.contentExecutor(analysis);
      FrontServices services = new FrontServices(decisions, dns, upstreams, tunnels, pages,
          metrics, drain, analysis);
      ChannelGroup clients = new DefaultChannelGroup("schoolgate-clients",
          GlobalEventExecutor.INSTANCE);
      pipeline[0] = new ClientPipeline(services,
          new ConnectionLimiter(c.maxConnections(), c.maxConnectionsPerClient(), metrics),
          accessLog, metrics, clients, config.maxRequestLineBytes(), c.headTimeout(),
          config.idleTimeout());
      List<Channel> listeners = new ArrayList<>(bind(config, transport, loops, threads,
          pipeline[0]));
      log.info("proxy listening on {} ({} transport, {} event loop(s){})",
          listeners.get(0).localAddress(), transport.name(), threads,
          listeners.size() > 1 ? ", " + listeners.size() + " listeners sharing the port" : "");
      site.proxyPort(((InetSocketAddress) listeners.get(0).localAddress()).getPort());
      Map<ClientSession.Listener, InetSocketAddress> others = new EnumMap<>(
          ClientSession.Listener.class);
      try {
        bindOthers(network, intercepting, transport, loops, pipeline[0], listeners, others);
      } catch (RuntimeException e) {
        for (Channel l : listeners) {
          l.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
        }
        throw e;
      }
      return new ProxyServer(loops, List.copyOf(listeners), clients, drain, c.drainTimeout(),
          accessLog, exporter, dns, destinations, metrics, others, analysis);
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (analysis != null) {
        analysis.close();
      }
      destinations.close();
      dns.close();
      accessLog.close();
      exporter.close();
      throw new IllegalStateException("proxy could not start on " + config.listen() + ": "
          + e.getMessage() + " (expected: a free port and an address of this machine)", e);
    }
  }

  /**
   * Binds the listener; with epoll and several loops, one listener per loop on the same port
   * ({@code SO_REUSEPORT}), so the kernel spreads new connections over the loops.
   */
  private static List<Channel> bind(ProxyConfig config, Transport transport, EventLoopGroup loops,
      int threads, ClientPipeline pipeline) {
    boolean reusePort = transport.canReusePort() && threads > 1;
    ServerBootstrap b = transport.configure(new ServerBootstrap().group(loops, loops), reusePort,
        config.connections().transparent()).childHandler(pipeline);
    List<Channel> listeners = new ArrayList<>();
    Channel first = bindOrThrow(b, config.listen());
    listeners.add(first);
    InetSocketAddress bound = (InetSocketAddress) first.localAddress();
    for (int i = 1; reusePort && i < threads; i++) {
      listeners.add(bindOrThrow(b, bound));
    }
    return List.copyOf(listeners);
  }

  /**
   * Binds the transparent listeners and the page listener {@code network} asks for, each with
   * the proxy's pipeline for its kind, adding them to {@code listeners} and their addresses to
   * {@code bound}. One listener each (redirected traffic is a school's share, not the bulk).
   */
  private static void bindOthers(ProxyConfig.Network network, boolean intercepting,
      Transport transport, EventLoopGroup loops, ClientPipeline pipeline, List<Channel> listeners,
      Map<ClientSession.Listener, InetSocketAddress> bound) {
    TransparentSettings t = network.transparent();
    if (t != null) {
      boolean tproxy = t.mode() == TransparentMode.TPROXY;
      var originals = OriginalDestinations.reader(t.mode());
      if (t.httpPort() != 0) {
        bindOne(transport, loops, tproxy, pipeline.forListener(
            ClientSession.Listener.TRANSPARENT_HTTP, originals, TLS_HELLO_TIMEOUT),
            new InetSocketAddress(t.address(), t.httpPort()),
            ClientSession.Listener.TRANSPARENT_HTTP, listeners, bound);
      }
      if (t.httpsPort() != 0) {
        bindOne(transport, loops, tproxy, pipeline.forListener(
            ClientSession.Listener.TRANSPARENT_TLS, originals, TLS_HELLO_TIMEOUT),
            new InetSocketAddress(t.address(), t.httpsPort()),
            ClientSession.Listener.TRANSPARENT_TLS, listeners, bound);
      }
    }
    PageListenerSettings pages = network.pages();
    if (pages != null) {
      bindOne(transport, loops, false, pipeline.forListener(ClientSession.Listener.PAGES,
          ch -> (InetSocketAddress) ch.localAddress(), TLS_HELLO_TIMEOUT),
          new InetSocketAddress(pages.address(), pages.httpPort()), ClientSession.Listener.PAGES,
          listeners, bound);
      if (pages.httpsPort() != 0) {
        if (!intercepting) {
          throw new IllegalStateException("proxy.page-listener.https needs the school CA to show"
              + " pages inside TLS (expected: an interception: section, or no https port)");
        }
        bindOne(transport, loops, false, pipeline.forListener(ClientSession.Listener.PAGES_TLS,
            ch -> (InetSocketAddress) ch.localAddress(), TLS_HELLO_TIMEOUT),
            new InetSocketAddress(pages.address(), pages.httpsPort()),
            ClientSession.Listener.PAGES_TLS, listeners, bound);
      }
    }
  }

  private static void bindOne(Transport transport, EventLoopGroup loops, boolean ipTransparent,
      ClientPipeline pipeline, InetSocketAddress address, ClientSession.Listener kind,
      List<Channel> listeners, Map<ClientSession.Listener, InetSocketAddress> bound) {
    ServerBootstrap b = transport.configure(new ServerBootstrap().group(loops, loops), false,
        ipTransparent).childHandler(pipeline);
    Channel channel;
    try {
      channel = bindOrThrow(b, address);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the " + describe(kind) + " could not listen on " + address
          + ": " + e.getMessage(), e);
    }
    listeners.add(channel);
    bound.put(kind, (InetSocketAddress) channel.localAddress());
    log.info("{} listening on {}", describe(kind), channel.localAddress());
  }

  private static String describe(ClientSession.Listener kind) {
    return switch (kind) {
      case TRANSPARENT_HTTP -> "transparent HTTP listener";
      case TRANSPARENT_TLS -> "transparent TLS listener";
      case PAGES -> "page listener";
      case PAGES_TLS -> "page listener (TLS)";
      case PROXY -> "proxy";
    };
  }

  private static Channel bindOrThrow(ServerBootstrap b, InetSocketAddress address) {
    io.netty.channel.ChannelFuture f = b.bind(address).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IllegalStateException(String.valueOf(f.cause().getMessage()), f.cause());
    }
    return f.channel();
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

  /**
   * Registers the request counters for {@code next}'s groups (those of earlier policies stay).
   * Call it on the reload thread before {@code next} is published, e.g.
   * {@code holder.onCompiled(proxy::policyCompiled)}: requests never register meters, and a request
   * for a group without counters is counted under group {@value ProxyMetrics#UNKNOWN_GROUP}.
   */
  public void policyCompiled(PolicySnapshot next) {
    metrics.ensureGroups(next.groups());
  }

  /** The address actually bound (the real port when the configured port was 0). */
  /** The content-analysis threads (tests: their queue, what they refused). */
  public org.schoolgate.proxy.content.AnalysisExecutor contentExecutor() {
    return analysis;
  }

  /** The response bytes content analysis holds back now and at most per response (tests, gauges). */
  public org.schoolgate.proxy.content.HeldBytes contentHeldBytes() {
    return metrics.heldBytes();
  }

  /** The main listener's channel class (which transport it runs on), for tests. */
  Class<? extends Channel> listenerChannel() {
    return listeners.get(0).getClass();
  }

  public InetSocketAddress address() {
    return address;
  }

  /**
   * The address bound by the listener of kind {@code which} (the transparent HTTP and TLS
   * listeners, the page listener; {@code PROXY} is {@link #address()}), or null when not set up.
   */
  public InetSocketAddress address(ClientSession.Listener which) {
    return which == ClientSession.Listener.PROXY ? address : others.get(which);
  }

  /** True from start until {@link #close()}. */
  public boolean running() {
    return !closed;
  }

  /** Whether the access log is being written, and the access events lost so far by cause. */
  public AccessLogStatus accessLogStatus() {
    return accessLog.status();
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

  /**
   * Stops accepting, lets exchanges in flight finish (each connection closes after its current
   * answer; idle ones at once) for up to the drain timeout, closes what is left, stops the
   * threads and flushes the access log.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (Channel listener : listeners) {
        listener.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
      }
      drain.start();
      io.netty.channel.group.ChannelGroupFuture drained = clients.newCloseFuture();
      for (Channel client : clients) {
        client.pipeline().fireUserEventTriggered(drain);
      }
      if (!drained.awaitUninterruptibly(drainTimeout.toMillis())) {
        log.info("{} connection(s) still busy after the {} drain: closed", clients.size(),
            drainTimeout);
      }
      clients.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
      loops.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(CLOSE_WAIT.toMillis());
    } finally {
      analysis.close();
      destinations.close();
      dns.close();
      accessLog.close();
      exporter.close(); // after the access log, whose thread writes to it
    }
  }
}
