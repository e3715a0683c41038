package org.schoolgate.proxy.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Idle upstream connections that are {@link EmbeddedChannel}s, put in a loop's pool as if an
 * earlier exchange had left them there: a test driving a client pipeline in an {@code
 * EmbeddedChannel} (which cannot open sockets) reads what the front sends up as the origin's
 * bytes out, and answers by writing the origin's bytes in. Each has the codec a real upstream
 * connection has ({@link Upstreams#open}); the test closes it.
 */
public final class StandInUpstreams {
  private StandInUpstreams() {}

  /** An idle plain-HTTP connection to {@code address:port} in {@code loop}'s pool. */
  public static EmbeddedChannel idle(Upstreams upstreams, EventLoop loop, InetAddress address,
      int port) {
    LoopPool pool = upstreams.pool(loop);
    Upstream u = new Upstream(new PoolKey(new InetSocketAddress(address, port), null), pool,
        Long.MAX_VALUE, Long.MAX_VALUE);
    EmbeddedChannel origin = new EmbeddedChannel(new HttpClientCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024).setMaxChunkSize(64 * 1024),
        false, false), u);
    u.release(true);
    return origin;
  }
}
