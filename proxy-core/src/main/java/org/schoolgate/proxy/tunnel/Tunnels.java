package org.schoolgate.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.filter.DestinationCheck;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.tls.TunnelInspector;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.schoolgate.proxy.upstream.Upstream;
import org.schoolgate.proxy.upstream.Upstreams;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches a client connection from HTTP to bytes, on its event loop:
 * <ul>
 *   <li>{@link #established}: an allowed CONNECT whose origin connection is up. Answers
 *       {@code 200 Connection established}, puts a {@link TunnelInspector} behind the exchange
 *       recorder and takes the HTTP handlers out (bytes the codec still held go to the
 *       inspector); once the ClientHello passed, both channels become {@link RawRelay}s and the
 *       held bytes go to the origin first;
 *   <li>{@link #intercept}: a CONNECT to decrypt. The same, without an origin: a passing
 *       ClientHello goes to the {@link Interceptor}, unless it names another server than the
 *       CONNECT host, which is then relayed untouched to the CONNECT host once its address
 *       passed the destination check (refused: closed);
 *   <li>{@link #relayUpgraded}: a 101 answer; both connections become relays.
 * </ul>
 */
public final class Tunnels {
  private static final Logger log = LoggerFactory.getLogger(Tunnels.class);
  private static final LogLimiter PASSED_THROUGH_LINES = LogLimiter.perMinute(20);
  /** The client-side HTTP handlers taken out when a connection becomes a tunnel. */
  private static final String IDLE = "schoolgate-idle";
  private static final String[] HTTP_HANDLERS = {
      "schoolgate-front", "schoolgate-guard", "schoolgate-http"};

  private final Supplier<PolicySnapshot> policy;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final Duration helloTimeout;
  private final Pages pages;
  private final DnsService dns;
  private final Upstreams upstreams;
  private final Interceptor interceptor;
  private final DestinationCheck destinations;
  private final long idleNanos;

  /**
   * {@code interceptor}: null when the proxy has no school CA (nothing is intercepted);
   * {@code destinations}: checks the address of a tunnel relayed untouched past interception;
   * {@code idleTimeout}: a tunnel with no byte either way for this long is closed.
   */
  public Tunnels(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, Clock clock,
      Duration helloTimeout, Pages pages, DnsService dns, Upstreams upstreams,
      Interceptor interceptor, DestinationCheck destinations, Duration idleTimeout) {
    this.destinations = destinations;
    this.idleNanos = idleTimeout.toNanos();
    this.policy = policy;
    this.metrics = metrics;
    this.clock = clock;
    this.helloTimeout = helloTimeout;
    this.pages = pages;
    this.dns = dns;
    this.upstreams = upstreams;
    this.interceptor = interceptor;
  }

  /** The CONNECT {@code t} is connected to {@code origin}: answer 200 and check the hello. */
  public void established(ChannelHandlerContext front, TunnelTarget t, Channel origin) {
    Channel client = front.channel();
    origin.closeFuture().addListener(f -> RawRelay.closeAfterFlush(client));
    client.closeFuture().addListener(f -> origin.close());
    switchToBytes(front, t, (c, held, tls, serverName) -> relay(c, origin, held));
  }

  /** The CONNECT {@code t} is to be decrypted: answer 200 and check the hello. */
  public void intercept(ChannelHandlerContext front, TunnelTarget t) {
    if (interceptor == null) { // the decider only chooses interception when there is a CA
      front.close();
      return;
    }
    switchToBytes(front, t, (client, held, tls, serverName) -> {
      if (!tls) {
        held.release(); // not TLS but allowed: nothing to decrypt and no origin to relay to
        client.close();
        return;
      }
      String sni = serverName == null ? null : normalise(serverName);
      if (sni != null && !sni.equals(t.host())) {
        metrics.interception(Interception.PASSED_THROUGH);
        long heldBack = PASSED_THROUGH_LINES.admit();
        if (heldBack >= 0) {
          log.info("tunnel to {} names server {}: relayed untouched, not intercepted{}", t.host(),
              sni, LogLimiter.note(heldBack));
        }
        passThrough(client, t, held);
        return;
      }
      interceptor.takeOver(client, t, held);
    });
  }

  private void switchToBytes(ChannelHandlerContext front, TunnelTarget t,
      TunnelInspector.Passed next) {
    Channel client = front.channel();
    front.writeAndFlush(pages.connectEstablished());
    ChannelPipeline p = client.pipeline();
    idleEitherWay(p);
    p.addAfter(ExchangeRecorder.NAME, TunnelInspector.NAME,
        new TunnelInspector(policy, metrics, clock, helloTimeout, t, next));
    for (String name : HTTP_HANDLERS) {
      if (p.get(name) != null) {
        p.remove(name); // the codec last: the bytes it held go on to the inspector
      }
    }
    client.config().setAutoRead(true);
  }

  /** After a 101 from {@code upstream}: the client and the origin become byte relays. */
  public void relayUpgraded(ChannelHandlerContext front, Upstream upstream) {
    Channel client = front.channel();
    Channel origin = upstream.channel();
    ChannelPipeline o = origin.pipeline();
    o.addLast(RawRelay.NAME, new RawRelay(client));
    upstream.detach();
    for (String name : new String[] {"schoolgate-origin-idle", "schoolgate-origin-http"}) {
      if (o.get(name) != null) {
        o.remove(name); // the bytes the decoder held after the 101 go to the relay
      }
    }
    ChannelPipeline p = client.pipeline();
    idleEitherWay(p);
    p.addLast(RawRelay.NAME, new RawRelay(origin));
    for (String name : HTTP_HANDLERS) {
      if (p.get(name) != null) {
        p.remove(name);
      }
    }
    origin.config().setAutoRead(true);
    client.config().setAutoRead(true);
  }

  /** A tunnel is idle only when no byte moves either way (a download has a silent client). */
  private void idleEitherWay(ChannelPipeline p) {
    if (p.get(IDLE) != null) {
      p.replace(IDLE, IDLE, new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
    }
  }

  private static void relay(Channel client, Channel origin, ByteBuf held) {
    if (!origin.isActive()) {
      held.release();
      client.close();
      return;
    }
    origin.pipeline().addLast(RawRelay.NAME, new RawRelay(client));
    client.pipeline().addLast(RawRelay.NAME, new RawRelay(origin));
    origin.writeAndFlush(held);
    origin.config().setAutoRead(true);
    client.config().setAutoRead(true);
  }

  /** Relays an intercepted tunnel untouched to the CONNECT host (first {@code hello}). */
  private void passThrough(Channel client, TunnelTarget t, ByteBuf hello) {
    client.config().setAutoRead(false);
    DnsAnswer cached = dns.peek(t.host());
    if (cached != null) {
      connectThrough(client, t, cached, hello);
    } else {
      dns.resolve(t.host()).whenComplete((answer, e) ->
          client.eventLoop().execute(() -> connectThrough(client, t, answer, hello)));
    }
  }

  private void connectThrough(Channel client, TunnelTarget t, DnsAnswer answer, ByteBuf hello) {
    if (!client.isActive() || !(answer instanceof DnsAnswer.Resolved r)
        || destinations.passThrough(policy.get(), t, r.address()) instanceof Destination.Refused) {
      hello.release();
      client.close(); // inside TLS there is no page to show; the access log has the refusal
      return;
    }
    upstreams.openRaw(client.eventLoop(), new InetSocketAddress(r.address(), t.port()))
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess() || !client.isActive()) {
            hello.release();
            f.channel().close();
            client.close();
            return;
          }
          f.channel().closeFuture().addListener(c -> RawRelay.closeAfterFlush(client));
          relay(client, f.channel(), hello);
        });
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
