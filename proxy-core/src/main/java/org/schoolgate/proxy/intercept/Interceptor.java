package org.schoolgate.proxy.intercept;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts a tunnel whose ClientHello passed the checks: asks {@link LeafSource} for the host's
 * server context (generated elsewhere; the held ClientHello waits with reading paused), then
 * puts {@code SslHandler (server)} before the exchange recorder, has {@link HttpLayer} add the
 * proxy's HTTP handlers for requests inside the tunnel, and replays the ClientHello into it. A
 * leaf that cannot be made closes the tunnel (never passed through undecrypted).
 */
public final class Interceptor {
  private static final Logger log = LoggerFactory.getLogger(Interceptor.class);
  /** Pipeline name of the client-side TLS handler. */
  public static final String TLS = "schoolgate-intercept-tls";

  /** Adds the HTTP codec, guard and front handler for requests inside a tunnel to a host. */
  @FunctionalInterface
  public interface HttpLayer {
    /** Installs after {@link #TLS} (codec, guard) and at the tail (front) of {@code client}. */
    void install(Channel client, String host, int port);
  }

  private final LeafSource leaves;
  private final ProxyMetrics metrics;
  private final HttpLayer http;

  public Interceptor(LeafSource leaves, ProxyMetrics metrics, HttpLayer http) {
    this.leaves = leaves;
    this.metrics = metrics;
    this.http = http;
  }

  /**
   * Intercepts the tunnel {@code t} on {@code client}: {@code hello} holds the client's first
   * bytes (a ClientHello naming the CONNECT host, or none). Takes ownership of {@code hello}.
   * Call on the client's event loop.
   */
  public void takeOver(Channel client, TunnelTarget t, ByteBuf hello) {
    client.config().setAutoRead(false);
    leaves.serverContext(t.host()).whenComplete((context, failure) ->
        client.eventLoop().execute(() -> install(client, t, context, failure, hello)));
  }

  private void install(Channel client, TunnelTarget t, SslContext context, Throwable failure,
      ByteBuf hello) {
    if (!client.isActive()) {
      hello.release();
      return;
    }
    if (failure != null || context == null) {
      metrics.interception(Interception.LEAF_FAILED);
      log.warn("no leaf certificate for {}: tunnel closed", t.host(), failure);
      hello.release();
      client.close();
      return;
    }
    ChannelPipeline p = client.pipeline();
    p.addBefore(ExchangeRecorder.NAME, TLS, context.newHandler(client.alloc()));
    http.install(client, t.host(), t.port());
    ExchangeRecorder recorder = p.get(ExchangeRecorder.class);
    Exchanges exchanges = recorder.exchanges();
    exchanges.completeAll(); // the CONNECT's own access-log line; each request gets its own
    client.config().setAutoRead(true);
    p.fireChannelRead(hello);
    p.fireChannelReadComplete();
  }
}
