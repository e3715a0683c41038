package org.schoolgate.proxy.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;

/**
 * Starts a {@link ProxyServer} on 127.0.0.1:0 with a policy file written from YAML, for a test
 * class; stops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static ProxyExtension proxy = ProxyExtension.withPolicy(YAML).staticHost("school.test", "127.0.0.1");
 * }</pre>
 */
public final class ProxyExtension implements BeforeAllCallback, AfterAllCallback {
  /** Monday 23 November 2026, 12:30 UTC. */
  public static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");

  private final String policyYaml;
  private final Map<String, InetAddress> staticHosts = new LinkedHashMap<>();
  private Supplier<List<InetSocketAddress>> dnsServers = List::of;
  private Duration connectTimeout = Duration.ofSeconds(5);
  private Duration idleTimeout = Duration.ofSeconds(70);
  private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private String hostsFileText = "";
  private Supplier<org.schoolgate.proxy.intercept.InterceptionSettings> interception = () -> null;
  private org.schoolgate.proxy.content.AnalysisSettings contentAnalysis =
      org.schoolgate.proxy.content.AnalysisSettings.DEFAULTS;
  private Supplier<ProxyConfig.Network> network = () -> ProxyConfig.Network.NONE;
  private Supplier<org.schoolgate.proxy.log.export.LogExports> exports =
      () -> org.schoolgate.proxy.log.export.LogExports.NONE;
  private ProxyConfig.Connections connections =
      ProxyConfig.Connections.DEFAULTS.withDrainTimeout(Duration.ofSeconds(1));
  private int workerThreads = 2;
  private org.schoolgate.proxy.destination.DestinationSettings destinations =
      org.schoolgate.proxy.destination.DestinationSettings.NONE;
  private String requestAccessUrl = "http://admin.school.test:8080/request";
  private Path dir;
  private Path policyFile;
  private Path hostsFile;
  private PolicyHolder holder;
  private Supplier<PolicySnapshot> policyOverride;
  private Supplier<org.schoolgate.identity.IdentityService> identity = () -> null;
  private SimpleMeterRegistry registry;
  private ProxyServer proxy;

  private ProxyExtension(String policyYaml) {
    this.policyYaml = policyYaml;
  }

  public static ProxyExtension withPolicy(String yaml) {
    return new ProxyExtension(yaml);
  }

  public ProxyExtension staticHost(String name, String ip) {
    try {
      staticHosts.put(name, InetAddress.getByName(ip));
    } catch (IOException e) {
      throw new IllegalArgumentException(ip, e);
    }
    return this;
  }

  public ProxyExtension dnsServers(Supplier<List<InetSocketAddress>> servers) {
    this.dnsServers = servers;
    return this;
  }

  public ProxyExtension connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  /** Serves decisions from {@code policy} instead of the YAML (to test fail-closed paths). */
  public ProxyExtension policySupplier(Supplier<PolicySnapshot> policy) {
    this.policyOverride = policy;
    return this;
  }

  /** Rewrites the policy file and reloads it, as an administrator would. */
  public ReloadResult reload(String yaml) throws IOException {
    Files.writeString(policyFile, yaml);
    return holder.reload();
  }

  /**
   * The proxy's hosts file starts with {@code text} (default: empty, so tests never depend on the
   * machine's /etc/hosts); change it with {@link #appendToHostsFile}.
   */
  public ProxyExtension hostsFile(String text) {
    this.hostsFileText = text;
    return this;
  }

  /** Appends {@code line} to the proxy's hosts file, as an administrator (or bench.sh) would. */
  public void appendToHostsFile(String line) throws IOException {
    Files.writeString(hostsFile, line + "\n", java.nio.file.StandardOpenOption.APPEND);
  }

  /** The clock the proxy and the policy read (default: fixed at {@link #NOW}). */
  /** Who is behind each request (sign-in, bindings); made when the proxy starts. */
  public ProxyExtension identity(Supplier<org.schoolgate.identity.IdentityService> identity) {
    this.identity = identity;
    return this;
  }

  /** The admin origin and the proxy's key (default: none), with the request-access page on that origin. */
  public ProxyExtension destinations(org.schoolgate.proxy.destination.DestinationSettings destinations,
      String requestAccessUrl) {
    this.destinations = destinations;
    this.requestAccessUrl = requestAccessUrl;
    return this;
  }

  public ProxyExtension clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The policy holder the proxy reads (to publish unblocks, as the admin side does). */
  public PolicyHolder holder() {
    return holder;
  }

  /** Interception settings (school CA leaves, extra trusted CAs), read when the proxy starts. */
  public ProxyExtension interception(
      Supplier<org.schoolgate.proxy.intercept.InterceptionSettings> settings) {
    this.interception = settings;
    return this;
  }

  /** Transparent listeners, PAC settings, the page listener (read when the proxy starts). */
  public ProxyExtension network(Supplier<ProxyConfig.Network> network) {
    this.network = network;
    return this;
  }

  /** Copies of the access log (read when the proxy starts, so receivers may start first). */
  public ProxyExtension exports(Supplier<org.schoolgate.proxy.log.export.LogExports> exports) {
    this.exports = exports;
    return this;
  }

  /** The access-log directory. */
  public Path logDir() {
    return dir.resolve("logs");
  }

  /** Limits, head timeout, upstream pool (default: the proxy's, with a 1 s drain on stop). */
  public ProxyExtension connections(ProxyConfig.Connections connections) {
    this.connections = connections;
    return this;
  }

  /** Event loops (default 2, the harder case; 1 where a test needs every client on one loop). */
  public ProxyExtension workerThreads(int threads) {
    this.workerThreads = threads;
    return this;
  }

  public ProxyExtension contentAnalysis(org.schoolgate.proxy.content.AnalysisSettings settings) {
    this.contentAnalysis = settings;
    return this;
  }

  public ProxyExtension idleTimeout(Duration timeout) {
    this.idleTimeout = timeout;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  /** Starts the proxy: for a test that starts one per parameter, with {@link #stop()} after. */
  public void start() throws Exception {
    dir = Files.createTempDirectory("schoolgate-proxy-test");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, policyYaml);
    hostsFile = dir.resolve("hosts");
    Files.writeString(hostsFile, hostsFileText);
    holder = PolicyHolder.load(policyFile, clock);
    registry = new SimpleMeterRegistry();
    ProxyConfig config = ProxyConfig.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .accessLogDir(dir.resolve("logs"))
        .requestAccessUrl(requestAccessUrl)
        .destinations(destinations)
        .connectTimeout(connectTimeout)
        .idleTimeout(idleTimeout)
        .staticHosts(staticHosts)
        .dnsServers(dnsServers.get())
        .hostsFile(hostsFile)
        .workerThreads(workerThreads) // default 2: more than one loop whatever the machine
        .interception(interception.get())
        .exports(exports.get())
        .connections(connections)
        .network(network.get())
        .contentAnalysis(contentAnalysis)
        .build();
    Supplier<PolicySnapshot> policy = policyOverride != null ? policyOverride : holder::current;
    proxy = ProxyServer.start(config, policy, registry, clock,
        org.schoolgate.proxy.log.AccessEventSink.NONE, identity.get());
    holder.onCompiled(proxy::policyCompiled); // as deploy wires it: meters for a reload's groups
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Stops the proxy and deletes its files. */
  public void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  public InetSocketAddress address() {
    return proxy.address();
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  /** A client connected from {@code sourceIp}. */
  public ProxyClient client(String sourceIp) throws IOException {
    return ProxyClient.connect(address(), sourceIp);
  }

  /** Every access-log line written so far (today's file), after flushing. */
  public List<Map<String, Object>> accessLog() throws Exception {
    proxy.flushAccessLog(Duration.ofSeconds(10));
    return JsonLines.read(dir.resolve("logs").resolve("access-2026-11-23.jsonl"));
  }

  public ProxyServer server() {
    return proxy;
  }
}
