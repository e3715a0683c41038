package org.schoolgate.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a CONNECT tunnel's first client bytes until its TLS ClientHello has been read and judged
 * ({@link TunnelJudge}); then forwards them unchanged, or closes the connection (no page can be
 * shown inside TLS). Sits on the client channel just before LittleProxy's main handler, which
 * copies tunnel bytes to the origin.
 *
 * <p>The filter {@link #arm arms} it when it allows a CONNECT; it starts holding when the 2xx
 * answer to that CONNECT is written, so the very first tunnel byte is held. At most
 * {@value #MAX_HELD} bytes are held: a longer ClientHello counts as not TLS. A tunnel that sends
 * no complete ClientHello within the timeout is judged as not TLS too. Bytes from the origin
 * are never held. Confined to the channel's event loop; never blocks it.
 *
 * <p>When a check fires, the tunnel's access-log entry takes the check's rule (e.g.
 * {@code sni-mismatch}, or {@code sni-mismatch;matrix:gambling/pupils} when the server name's own
 * decision blocked) and the action, and {@value ProxyMetrics#TUNNEL_CHECKS} counts it.
 */
public final class TunnelInspector extends ChannelDuplexHandler {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-tunnel-inspector";
  /** The longest ClientHello read (bytes of the handshake message). */
  static final int MAX_HELLO = 16 * 1024;
  /** The most tunnel bytes held while waiting for the ClientHello. */
  static final int MAX_HELD = MAX_HELLO + 1024;

  private static final Logger log = LoggerFactory.getLogger(TunnelInspector.class);

  private final Supplier<PolicySnapshot> policy;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final Duration timeout;
  private final Interceptor interceptor;
  private final Exchanges exchanges;
  private TunnelTarget armed;
  private ByteBuf held;
  private ScheduledFuture<?> timer;

  public TunnelInspector(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, Clock clock,
      Duration timeout) {
    this(policy, metrics, clock, timeout, null, null);
  }

  /**
   * An inspector that hands tunnels chosen for interception to {@code interceptor} (null: none)
   * once their ClientHello passed the checks; {@code exchanges} are the connection's.
   */
  public TunnelInspector(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, Clock clock,
      Duration timeout, Interceptor interceptor, Exchanges exchanges) {
    this.interceptor = interceptor;
    this.exchanges = exchanges;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("ClientHello timeout " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
  }

  /** The next 2xx answer written starts a tunnel whose ClientHello is checked against {@code t}. */
  public void arm(TunnelTarget t) {
    armed = t;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (armed != null && held == null && msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code >= 200 && code < 300) {
        held = ctx.alloc().buffer(1024);
        timer = ctx.executor().schedule(() -> timedOut(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
      } else {
        armed = null;
      }
    }
    ctx.write(msg, promise);
    if (held != null && armed != null && armed.intercept().intercept() && interceptor != null
        && msg instanceof HttpResponse) {
      interceptor.detach(ctx.pipeline()); // the proxy answered this CONNECT itself
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held == null || !(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    int room = MAX_HELD - held.readableBytes();
    held.writeBytes(bytes, bytes.readerIndex(), Math.min(room, bytes.readableBytes()));
    boolean over = bytes.readableBytes() > room;
    if (over) {
      held.writeBytes(bytes, bytes.readerIndex() + room, bytes.readableBytes() - room);
    }
    bytes.release();
    ClientHello hello = over ? new ClientHello.NotTls("no complete ClientHello in " + MAX_HELD + " bytes")
        : ClientHelloParser.parse(held, MAX_HELLO);
    if (hello != ClientHello.INCOMPLETE) {
      settle(ctx, hello, false);
    }
  }

  private void timedOut(ChannelHandlerContext ctx) {
    if (held != null) {
      settle(ctx, new ClientHello.NotTls("no complete ClientHello within " + timeout.toSeconds() + " s"), true);
    }
  }

  private void settle(ChannelHandlerContext ctx, ClientHello hello, boolean outsideRead) {
    TunnelTarget t = armed;
    ByteBuf bytes = held;
    held = null;
    armed = null;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (t == null) { // cannot happen: holding starts only when armed; forward rather than guess
      ctx.fireChannelRead(bytes);
      ctx.pipeline().remove(this);
      return;
    }
    TunnelJudge.Outcome outcome;
    try {
      PolicySnapshot snapshot = policy.get();
      outcome = snapshot == null ? null : TunnelJudge.judge(snapshot, t, hello, clock.instant());
    } catch (RuntimeException e) {
      log.warn("judging the tunnel to {} failed; closed (fail closed)", t.host(), e);
      outcome = null;
    }
    if (outcome == null) {
      metrics.failClosed();
      t.exchange().decision("block", "unacceptable", "fail-closed",
          "the tunnel could not be checked, so it was closed", List.of(), t.zone());
      bytes.release();
      ctx.close();
      return;
    }
    if (outcome.check() != null) {
      record(t, outcome);
    }
    if (outcome.refused()) {
      log.info("tunnel from {} to {}:{} closed: {} ({})", t.client() == null ? "?" : t.client().getHostAddress(),
          t.host(), t.port(), ruleText(outcome), outcome.detail());
      bytes.release();
      ctx.close();
      return;
    }
    if (t.intercept().intercept() && interceptor != null) {
      ctx.pipeline().remove(this);
      if (hello instanceof ClientHello.Hello h) {
        interceptor.takeOver(ctx.channel(), t, h.serverName(), bytes, exchanges);
      } else {
        bytes.release(); // not TLS but allowed: nothing to decrypt and no upstream to relay to
        ctx.close();
      }
      return;
    }
    if (bytes.isReadable()) {
      ctx.fireChannelRead(bytes);
      if (outsideRead) {
        ctx.fireChannelReadComplete();
      }
    } else {
      bytes.release();
    }
    ctx.pipeline().remove(this);
  }

  private void record(TunnelTarget t, TunnelJudge.Outcome outcome) {
    Decision d = outcome.decision();
    metrics.tunnelCheck(outcome.check(), d.action());
    List<String> categories = new ArrayList<>();
    for (CategoryId c : d.categories().categories()) {
      categories.add(c.value());
    }
    t.exchange().decision(d.action().logName(), d.level().configName(), ruleText(outcome),
        outcome.detail() + "; " + d.reason(), categories, t.zone());
  }

  private static String ruleText(TunnelJudge.Outcome outcome) {
    TunnelCheck check = outcome.check();
    Decision d = outcome.decision();
    return d.rule() == check.rule() ? d.ruleText() : check.rule().logName() + ";" + d.ruleText();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  private void release() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
