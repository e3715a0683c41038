package org.schoolgate.proxy.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking name resolution with a cache: an event loop never calls the blocking
 * {@code InetAddress.getByName}.
 *
 * <p>Answers come from, in order: IP literals (parsed, never looked up), {@code localhost}
 * (loopback), the static overrides from the configuration, the {@link HostsFile} (re-read by the
 * {@code schoolgate-hosts} thread when it changes, so a line added while the proxy runs is
 * honoured within {@link DnsSettings#hostsRefresh}), and a Caffeine cache of earlier lookups whose
 * entries expire after the answer's TTL (clamped by {@link DnsSettings}; failures are cached
 * briefly, and dropped when the hosts file starts mapping the name). {@link #peek} only reads;
 * {@link #resolve} starts at most one lookup per name at a time and caches the answer
 * <em>before</em> completing the returned future, so whoever waited finds the cache warm.
 *
 * <pre>{@code
 * DnsAnswer known = dns.peek("example.org");           // null: not known yet
 * dns.resolve("example.org").thenAccept(answer -> ...); // completes on the DNS thread
 * }</pre>
 */
public final class DnsService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsService.class);
  /** The time an answer that never changes (a literal, a static name, a hosts line) is kept. */
  static final Duration FOREVER = Duration.ofDays(365);
  private static final DnsAnswer.Resolved LOCALHOST =
      new DnsAnswer.Resolved(InetAddress.getLoopbackAddress(), FOREVER);

  /** The static overrides, each answer made once: a request reads it without allocating. */
  private final Map<String, DnsAnswer.Resolved> staticHosts;
  private final HostsFile hosts;
  private final ScheduledExecutorService hostsWatcher;
  private final DnsLookup lookup;
  private final ProxyMetrics metrics;
  private final Cache<String, DnsAnswer> cache;
  private final ConcurrentHashMap<String, CompletableFuture<DnsAnswer>> inflight =
      new ConcurrentHashMap<>();

  /** A service using Netty's DNS resolver against {@code servers} (empty: resolv.conf). */
  public static DnsService create(Map<String, InetAddress> staticHosts,
      List<InetSocketAddress> servers, ProxyMetrics metrics) {
    return create(staticHosts, servers, DnsSettings.DEFAULTS, metrics);
  }

  /** As {@link #create(Map, List, ProxyMetrics)}, with explicit cache and hosts-file settings. */
  public static DnsService create(Map<String, InetAddress> staticHosts,
      List<InetSocketAddress> servers, DnsSettings settings, ProxyMetrics metrics) {
    HostsFile hosts = new HostsFile(settings.hostsFile());
    return new DnsService(staticHosts, hosts, new NettyDnsLookup(servers, settings, hosts),
        settings, Ticker.systemTicker(), metrics);
  }

  /**
   * A service over {@code lookup}; reads {@code settings.hostsFile()} now and then every {@code
   * settings.hostsRefresh()} on the {@code schoolgate-hosts} thread.
   */
  public DnsService(Map<String, InetAddress> staticHosts, DnsLookup lookup, DnsSettings settings,
      Ticker ticker, ProxyMetrics metrics) {
    this(staticHosts, new HostsFile(settings.hostsFile()), lookup, settings, ticker, metrics);
  }

  private DnsService(Map<String, InetAddress> staticHosts, HostsFile hosts, DnsLookup lookup,
      DnsSettings settings, Ticker ticker, ProxyMetrics metrics) {
    Map<String, DnsAnswer.Resolved> answers = new HashMap<>();
    staticHosts.forEach((name, address) -> answers.put(name, new DnsAnswer.Resolved(address,
        FOREVER)));
    this.staticHosts = Map.copyOf(answers);
    this.hosts = hosts;
    this.lookup = lookup;
    this.metrics = metrics;
    this.cache = Caffeine.newBuilder()
        .maximumSize(settings.maxEntries())
        .ticker(ticker)
        .expireAfter(new Expiry<String, DnsAnswer>() {
          @Override
          public long expireAfterCreate(String key, DnsAnswer value, long currentTime) {
            return value.ttl().toNanos();
          }

          @Override
          public long expireAfterUpdate(String key, DnsAnswer value, long currentTime,
              long currentDuration) {
            return value.ttl().toNanos();
          }

          @Override
          public long expireAfterRead(String key, DnsAnswer value, long currentTime,
              long currentDuration) {
            return currentDuration;
          }
        })
        .build();
    hosts.refresh();
    if (settings.hostsRefresh().isZero()) {
      this.hostsWatcher = null;
    } else {
      this.hostsWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schoolgate-hosts");
        t.setDaemon(true);
        return t;
      });
      long period = settings.hostsRefresh().toNanos();
      hostsWatcher.scheduleWithFixedDelay(this::refreshHostsFile, period, period,
          TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Re-reads the hosts file if it changed, and forgets cached answers (a failure cached before
   * the change, say) for the names it now maps differently. Blocking file I/O: the {@code
   * schoolgate-hosts} thread calls it; never call it on an event loop.
   */
  public void refreshHostsFile() {
    try {
      Set<String> changed = hosts.refresh();
      if (!changed.isEmpty()) {
        cache.invalidateAll(changed);
        log.info("hosts file {} changed: {} name(s) mapped anew", hosts.path(), changed.size());
      }
    } catch (RuntimeException e) {
      log.warn("hosts file {} could not be checked: {}", hosts.path(), e.toString());
    }
  }

  /** Lower case, no trailing dot, no IPv6 brackets. */
  static String normalise(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  /**
   * The answer known without a lookup, or null when {@code host} must be resolved first. A
   * static name, a hosts-file name or a cached answer is returned as it is kept (no allocation);
   * an IP literal is parsed each time.
   */
  public DnsAnswer peek(String host) {
    String h = normalise(host);
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(h); // parsed once
    if (literal != null) {
      return new DnsAnswer.Resolved(literal, FOREVER);
    }
    if (h.equals("localhost")) {
      return LOCALHOST;
    }
    DnsAnswer.Resolved fixed = staticHosts.get(h);
    if (fixed == null) {
      fixed = hosts.answer(h);
    }
    if (fixed != null) {
      return fixed;
    }
    return cache.getIfPresent(h);
  }

  /** {@link #peek}, counting a cache hit or miss. */
  public DnsAnswer peekCounted(String host) {
    DnsAnswer answer = peek(host);
    if (answer == null) {
      metrics.dnsMiss();
    } else {
      metrics.dnsHit();
    }
    return answer;
  }

  /**
   * Resolves {@code host} asynchronously. The future completes normally (failures are {@link
   * DnsAnswer.Failed}), on the DNS thread or at once when the answer is known.
   */
  public CompletableFuture<DnsAnswer> resolve(String host) {
    String h = normalise(host);
    DnsAnswer known = peek(h);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
    CompletableFuture<DnsAnswer> running = inflight.putIfAbsent(h, mine);
    if (running != null) {
      return running;
    }
    if (hostsWatcher == null) {
      startLookup(h, mine);
      return mine;
    }
    // A miss first looks at the hosts file as it is now (on the hosts thread: file I/O never runs
    // on an event loop), so a line added a moment ago is honoured without waiting for the
    // periodic refresh; only then is a DNS server asked.
    try {
      hostsWatcher.execute(() -> {
        refreshHostsFile();
        InetAddress fromHosts = hosts.lookup(h);
        if (fromHosts != null) {
          inflight.remove(h, mine);
          mine.complete(new DnsAnswer.Resolved(fromHosts, FOREVER));
        } else {
          startLookup(h, mine);
        }
      });
    } catch (RejectedExecutionException e) { // closing
      startLookup(h, mine);
    }
    return mine;
  }

  private void startLookup(String h, CompletableFuture<DnsAnswer> mine) {
    CompletableFuture<DnsAnswer> started;
    try {
      started = lookup.lookup(h);
    } catch (RuntimeException e) {
      started = CompletableFuture.completedFuture(
          new DnsAnswer.Failed("could not resolve " + h + ": " + e, Duration.ZERO));
    }
    started.whenComplete((answer, error) -> {
      DnsAnswer a = answer != null ? answer
          : new DnsAnswer.Failed("could not resolve " + h + ": " + error, Duration.ZERO);
      if (a instanceof DnsAnswer.Failed) {
        metrics.dnsFailure();
      }
      if (!a.ttl().isZero()) {
        cache.put(h, a);
      }
      inflight.remove(h, mine);
      mine.complete(a);
    });
  }

  @Override
  public void close() {
    if (hostsWatcher != null) {
      hostsWatcher.shutdownNow();
    }
    lookup.close();
  }
}
