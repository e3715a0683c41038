package org.schoolgate.resolver.upstream;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverChannelStrategy;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.schoolgate.resolver.metrics.ResolverMetrics;

/**
 * Answers a question from the cache or from the upstream resolvers, on the resolver's event loop.
 *
 * <p>Design: one Netty {@link DnsNameResolver} on the same loop as the listening channels, used
 * only for raw queries ({@link DnsNameResolver#query(InetSocketAddress, io.netty.handler.codec.dns.DnsQuestion)}):
 * no recursion, no search domains, no caches of its own. Each query opens its own UDP socket
 * ({@link DnsNameResolverChannelStrategy#ChannelPerResolution}), so the source port is random as
 * well as the id (RFC 5452: a caching forwarder must resist spoofed answers); Netty retries over
 * TCP when an answer comes back truncated, and checks the answer's question. The upstreams are
 * asked in order: a timeout, SERVFAIL, REFUSED or any other failure moves on to the next; when
 * all have failed the question fails (the client gets SERVFAIL, nothing is cached). Questions
 * already in flight are not asked again: later askers wait for the same answer (a client's
 * retransmission, or many clients after a popular name expired). Answers arrive on the loop and
 * the waiters are called there, so nothing here needs a lock.
 */
public final class Upstream implements AutoCloseable {
  /** Most distinct questions waiting for an upstream at once; more fail at once (SERVFAIL). */
  static final int MAX_INFLIGHT = 10_000;

  private final EventLoop loop;
  private final List<InetSocketAddress> servers;
  private final DnsNameResolver resolver;
  private final AnswerCache cache;
  private final TtlBounds ttl;
  private final ResolverMetrics metrics;
  private final Ticker ticker;
  private final Map<AnswerCache.Key, List<Consumer<UpstreamResult>>> inflight = new HashMap<>();

  public Upstream(EventLoop loop, List<InetSocketAddress> servers, Duration queryTimeout, AnswerCache cache,
      TtlBounds ttl, ResolverMetrics metrics, Ticker ticker) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no upstream DNS servers (expected: at least one, from dns-filter.upstreams"
          + " or /etc/resolv.conf)");
    }
    this.loop = loop;
    this.servers = List.copyOf(servers);
    this.cache = cache;
    this.ttl = ttl;
    this.metrics = metrics;
    this.ticker = ticker;
    this.resolver = new DnsNameResolverBuilder(loop)
        .datagramChannelType(NioDatagramChannel.class)
        .socketChannelType(NioSocketChannel.class)
        .datagramChannelStrategy(DnsNameResolverChannelStrategy.ChannelPerResolution)
        .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .queryTimeoutMillis(queryTimeout.toMillis())
        .maxQueriesPerResolve(1)
        .recursionDesired(true)
        .build();
  }

  /** The upstream resolvers, in the order they are asked. */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  /**
   * Answers {@code name} (lower case, no trailing dot) of {@code type}: at once from the cache, or
   * later from upstream. {@code done} is called once, on the loop. Call on the loop only.
   */
  public void resolve(String name, int type, Consumer<UpstreamResult> done) {
    AnswerCache.Key key = new AnswerCache.Key(name, type);
    CachedAnswer cached = cache.get(name, type);
    if (cached != null) {
      metrics.cache(ResolverMetrics.Cache.HIT);
      done.accept(new UpstreamResult.Answered(cached, true));
      return;
    }
    List<Consumer<UpstreamResult>> waiting = inflight.get(key);
    if (waiting != null) {
      metrics.cache(ResolverMetrics.Cache.JOINED);
      waiting.add(done);
      return;
    }
    if (inflight.size() >= MAX_INFLIGHT) {
      done.accept(new UpstreamResult.Failed(MAX_INFLIGHT + " questions are already waiting for the upstreams"));
      return;
    }
    metrics.cache(ResolverMetrics.Cache.MISS);
    waiting = new ArrayList<>(2);
    waiting.add(done);
    inflight.put(key, waiting);
    ask(key, 0, "");
  }

  private void ask(AnswerCache.Key key, int server, String failures) {
    if (server >= servers.size()) {
      finish(key, new UpstreamResult.Failed("no upstream answered:" + failures));
      return;
    }
    InetSocketAddress to = servers.get(server);
    long sent = ticker.read();
    Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f;
    try {
      f = resolver.query(to, new DefaultDnsQuestion(key.name(), DnsRecordType.valueOf(key.type())));
    } catch (RuntimeException e) { // a name Netty cannot put on the wire (an over-long label, say)
      metrics.upstreamFailure(ResolverMetrics.Failure.ERROR);
      finish(key, new UpstreamResult.Failed("the question cannot be asked: " + e.getMessage()));
      return;
    }
    f.addListener(done -> {
      metrics.upstreamLatency(ticker.read() - sent);
      if (!done.isSuccess()) {
        boolean timeout = done.cause() instanceof DnsNameResolverTimeoutException;
        metrics.upstreamFailure(timeout ? ResolverMetrics.Failure.TIMEOUT : ResolverMetrics.Failure.ERROR);
        ask(key, server + 1, failures + " " + text(to) + (timeout ? " timed out;" : " failed;"));
        return;
      }
      @SuppressWarnings("unchecked")
      AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
          (AddressedEnvelope<DnsResponse, InetSocketAddress>) done.getNow();
      DnsResponseCode code = envelope.content().code();
      CachedAnswer answer = null;
      String problem;
      try {
        if (code == DnsResponseCode.NOERROR || code == DnsResponseCode.NXDOMAIN) {
          answer = CachedAnswer.copyOf(envelope.content(), ticker.read(), ttl);
          problem = null;
        } else {
          metrics.upstreamFailure(code == DnsResponseCode.REFUSED ? ResolverMetrics.Failure.REFUSED
              : ResolverMetrics.Failure.SERVFAIL);
          problem = " " + text(to) + " answered " + code.toString() + ";";
        }
      } catch (RuntimeException e) {
        metrics.upstreamFailure(ResolverMetrics.Failure.ERROR);
        problem = " " + text(to) + " sent an unreadable answer (" + e.getMessage() + ");";
      } finally {
        envelope.release();
      }
      if (answer == null) {
        ask(key, server + 1, failures + problem);
        return;
      }
      cache.put(key, answer);
      finish(key, new UpstreamResult.Answered(answer, false));
    });
  }

  private void finish(AnswerCache.Key key, UpstreamResult result) {
    List<Consumer<UpstreamResult>> waiting = inflight.remove(key);
    if (waiting != null) {
      for (Consumer<UpstreamResult> w : waiting) {
        w.accept(result);
      }
    }
  }

  /** Questions waiting for an upstream now (read from the loop; a gauge may read it racily). */
  public int inflight() {
    return inflight.size();
  }

  /** The event loop this upstream (and its callers) run on. */
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void close() {
    resolver.close();
  }

  private static String text(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
