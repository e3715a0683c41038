package org.schoolgate.proxy.intercept;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.filter.InterceptedRequests;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a client connection over from LittleProxy for an intercepted tunnel.
 *
 * <p>The filter answered the CONNECT itself ({@code 200 Connection established}), so LittleProxy
 * never opened an upstream connection. When that answer is written, {@link #detach} drops
 * LittleProxy's HTTP codec and monitors (and Schoolgate's plain-HTTP handlers) from the client
 * pipeline; LittleProxy's main handler stays at the tail, inert, and only sees the channel close.
 * When the tunnel inspector has read and passed the ClientHello, {@link #takeOver} asks for the
 * host's leaf certificate (generated elsewhere; the held bytes wait, reading paused), then
 * installs {@code SslHandler (server) → HttpServerCodec → exchange recorder → InterceptHandler}
 * and replays the ClientHello into it. A ClientHello naming another server than the CONNECT host
 * (allowed fronting) is not intercepted: the tunnel is relayed untouched to the CONNECT host.
 */
public final class Interceptor {
  private static final Logger log = LoggerFactory.getLogger(Interceptor.class);
  private static final String TLS = "schoolgate-intercept-tls";
  static final String HTTP = "schoolgate-intercept-http";
  /** LittleProxy's client-side HTTP handlers, dropped when the proxy takes a tunnel over. */
  private static final List<String> LITTLEPROXY_HTTP = List.of(
      "encoder", "decoder", "requestReadMonitor", "responseWrittenMonitor");

  private final InterceptServices services;
  private final List<String> plainHttpHandlers;

  /**
   * @param plainHttpHandlers names of Schoolgate's client handlers that serve plain proxy HTTP
   *     only (removed on take-over)
   */
  public Interceptor(InterceptionSettings settings, InterceptedRequests requests, DnsService dns,
      Pages pages, ProxyMetrics metrics, Duration connectTimeout, List<String> plainHttpHandlers) {
    this.services = new InterceptServices(settings.leaves(),
        new UpstreamTls(settings.extraTrustedCas()), requests, dns, pages, metrics, connectTimeout);
    this.plainHttpHandlers = List.copyOf(plainHttpHandlers);
  }

  /**
   * Drops LittleProxy's HTTP codec and monitors and the plain-HTTP handlers from {@code pipeline}
   * once the proxy's own answer to an intercepted CONNECT has been written. Bytes the decoder
   * still held are passed on as raw bytes (to the tunnel inspector, which holds them).
   */
  public void detach(ChannelPipeline pipeline) {
    for (String name : LITTLEPROXY_HTTP) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
    for (String name : plainHttpHandlers) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
  }

  /**
   * Intercepts the tunnel {@code t} on {@code client}: {@code hello} holds the client's first
   * bytes (a ClientHello naming {@code serverName}, or null without SNI). Takes ownership of
   * {@code hello}. Call on the client's event loop, after the inspector removed itself.
   */
  public void takeOver(Channel client, TunnelTarget t, String serverName, ByteBuf hello,
      Exchanges exchanges) {
    String sni = serverName == null ? null : normalise(serverName);
    if (sni != null && !sni.equals(t.host())) {
      services.metrics().interception(Interception.PASSED_THROUGH);
      log.info("tunnel to {} names server {}: relayed untouched, not intercepted", t.host(), sni);
      passThrough(client, t, hello);
      return;
    }
    client.config().setAutoRead(false);
    services.leaves().serverContext(t.host()).whenComplete((context, failure) ->
        client.eventLoop().execute(() -> install(client, t, context, failure, hello, exchanges)));
  }

  private void install(Channel client, TunnelTarget t, SslContext context, Throwable failure,
      ByteBuf hello, Exchanges exchanges) {
    if (!client.isActive()) {
      hello.release();
      return;
    }
    if (failure != null || context == null) {
      services.metrics().interception(Interception.LEAF_FAILED);
      log.warn("no leaf certificate for {}: tunnel closed", t.host(), failure);
      hello.release();
      client.close();
      return;
    }
    ChannelPipeline p = client.pipeline();
    p.addBefore(ExchangeRecorder.NAME, TLS, context.newHandler(client.alloc()));
    p.addBefore(ExchangeRecorder.NAME, HTTP, new HttpServerCodec(8192, 32 * 1024, 64 * 1024));
    p.addAfter(ExchangeRecorder.NAME, InterceptHandler.NAME,
        new InterceptHandler(services, t.host(), t.port()));
    exchanges.completeAll(); // the CONNECT's own access-log line; each request gets its own
    client.config().setAutoRead(true);
    p.fireChannelRead(hello);
    p.fireChannelReadComplete();
  }

  /** Relays the tunnel to the CONNECT host untouched (first {@code hello}, then both ways). */
  private void passThrough(Channel client, TunnelTarget t, ByteBuf hello) {
    client.config().setAutoRead(false);
    DnsService dns = services.dns();
    DnsAnswer cached = dns.peek(t.host());
    if (cached != null) {
      relay(client, t, cached, hello);
    } else {
      dns.resolve(t.host()).whenComplete((answer, e) ->
          client.eventLoop().execute(() -> relay(client, t, answer, hello)));
    }
  }

  private void relay(Channel client, TunnelTarget t, DnsAnswer answer, ByteBuf hello) {
    if (!client.isActive() || !(answer instanceof DnsAnswer.Resolved r)) {
      hello.release();
      client.close();
      return;
    }
    Origins.connectRaw(client, new InetSocketAddress(r.address(), t.port()),
        services.connectTimeout()).addListener(f -> {
          if (!f.isSuccess() || !client.isActive()) {
            hello.release();
            client.close();
            return;
          }
          Channel origin = ((io.netty.channel.ChannelFuture) f).channel();
          origin.pipeline().addLast(RawRelay.NAME, new RawRelay(client));
          client.pipeline().addAfter(ExchangeRecorder.NAME, RawRelay.NAME, new RawRelay(origin));
          origin.writeAndFlush(hello);
          client.config().setAutoRead(true);
        });
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
