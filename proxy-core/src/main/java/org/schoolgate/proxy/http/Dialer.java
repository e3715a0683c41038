package org.schoolgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.filter.DestinationCheck;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.upstream.Upstream;

/**
 * From an allowed outcome to a connection: resolve the host to connect to ({@code DnsService}:
 * a known answer at once, otherwise the lookup completes on the DNS loop and comes back to this
 * channel's loop with the exchange's generation), check the address
 * ({@link DestinationCheck}: every time, before a pooled connection is taken or a new one opened,
 * so the decision is per request and per group whatever connection carries it), then take an
 * idle connection to exactly that address, port and TLS name ({@code PoolKey}) from this loop's
 * pool — probed without allocating a key — or open one on this loop,
 * or open the CONNECT tunnel's raw connection. A failure at any step is the page that says which
 * ({@link Answers}).
 *
 * <p>Reading is not paused while a step is pending: most clients send nothing more until they
 * are answered, and each pause and resume is an {@code epoll_ctl} call. What does arrive meanwhile
 * pauses reading itself, so no more than one read's worth waits: a body part ({@link
 * RequestSender}), a pipelined request ({@link WaitingRequests}), bytes after a CONNECT held by
 * the codec ({@link ReadPauses#HELD}).
 */
final class Dialer {
  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;

  Dialer(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
  }

  /** Connects for the request {@code f} (TLS to its host inside an intercepted tunnel). */
  void forward(Outcome.Forward f) {
    dial(f.dialHost(), f.port(), front.tunnelHost == null ? null : f.host());
  }

  /** Connects the CONNECT tunnel {@code tunnel}. */
  void tunnel(Outcome.Tunnel tunnel) {
    dial(tunnel.dialHost(), tunnel.target().port(), null);
  }

  private void dial(String dialHost, int port, String serverName) {
    t.port = port;
    t.serverName = serverName;
    int gen = t.generation;
    DnsAnswer cached = front.s.dns().peekCounted(dialHost);
    if (cached != null) {
      resolved(gen, cached);
      return;
    }
    front.s.dns().resolve(dialHost).whenComplete((answer, e) ->
        ctx.executor().execute(() -> resolved(gen, answer)));
  }

  private void resolved(int gen, DnsAnswer answer) {
    if (gen != t.generation || !ctx.channel().isActive()) {
      return;
    }
    if (!(answer instanceof DnsAnswer.Resolved r)) {
      front.s.metrics().upstreamError(UpstreamError.DNS);
      front.answers.failEarly(ErrorPage.DNS_FAILED);
      return;
    }
    if (!passes(r.address())) {
      return;
    }
    t.address = r.address();
    if (t.tunnel != null) {
      front.s.upstreams().openRaw(ctx.channel().eventLoop(),
              new InetSocketAddress(t.address, t.port))
          .addListener(f -> tunnelConnected(gen, (ChannelFuture) f));
      return;
    }
    // no key object per request: the pool is probed with the address the check passed
    Upstream pooled = front.s.upstreams().pooled(ctx.channel().eventLoop(), t.address, t.port,
        t.serverName);
    if (pooled != null) {
      front.sender.bind(pooled);
    } else {
      connect(gen);
    }
  }

  /**
   * The destination check on {@code address}: false when it refused (the refusal is answered);
   * a request to the admin origin gets its forwarding headers.
   */
  private boolean passes(InetAddress address) {
    DestinationCheck check = front.s.decisions().destinations();
    Destination d = t.tunnel != null ? check.tunnel(t.tunnel, address)
        : check.forward(front.session, t.forward, address);
    if (d instanceof Destination.Refused refused) {
      front.answers.refused(refused);
      return false;
    }
    if (d instanceof Destination.AdminOrigin && t.tunnel == null) {
      check.adminOrigin(t.request, front.session);
    }
    return true;
  }

  /** Opens a new connection to the exchange's checked address (also to retry on a fresh one). */
  void connect(int gen) {
    front.s.upstreams().open(ctx.channel().eventLoop(), t.address, t.port, t.serverName)
        .addListener(f -> connected(gen, (Future<Upstream>) f));
  }

  private void connected(int gen, Future<Upstream> f) {
    if (gen != t.generation || !ctx.channel().isActive()) {
      if (f.isSuccess()) {
        f.getNow().close();
      }
      return;
    }
    if (f.isSuccess()) {
      front.sender.bind(f.getNow());
    } else {
      front.answers.failEarly(front.answers.pageFor(f.cause()));
    }
  }

  private void tunnelConnected(int gen, ChannelFuture f) {
    Channel origin = f.channel();
    if (gen != t.generation || !ctx.channel().isActive()) {
      origin.close();
      return;
    }
    if (!f.isSuccess()) {
      front.answers.failEarly(front.answers.pageFor(f.cause()));
      return;
    }
    front.s.tunnels().established(ctx, t.tunnel.target(), origin);
  }
}
