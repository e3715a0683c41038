package org.schoolgate.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a CONNECT tunnel's first client bytes until its TLS ClientHello has been read and judged
 * ({@link TunnelJudge}); then hands them, unchanged, to what comes next ({@link Passed}: the byte
 * relay to the origin, or interception), or closes the connection (no page can be shown inside
 * TLS).
 *
 * <p>The tunnel code adds it to the client pipeline right after answering 200, before any
 * tunnel byte is read; it holds from then on. At most {@value #MAX_HELD} bytes are held: a read
 * that goes past them is still judged on what fits (a whole ClientHello there passes as usual and
 * the rest is forwarded with it), and only when no complete ClientHello fits is it not TLS. A
 * tunnel that sends no complete ClientHello within the timeout is judged as not TLS too. Bytes
 * from the origin are never held. Confined to the channel's event loop; never blocks it.
 *
 * <p>When a check fires, the tunnel's access-log entry takes the check's rule (e.g.
 * {@code sni-mismatch}, or {@code sni-mismatch;matrix:gambling/pupils} when the server name's own
 * decision blocked) and the action, and {@value ProxyMetrics#TUNNEL_CHECKS} counts it.
 */
public final class TunnelInspector extends ChannelInboundHandlerAdapter {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-tunnel-inspector";
  /** The longest ClientHello read (bytes of the handshake message). */
  static final int MAX_HELLO = 16 * 1024;
  /** The most tunnel bytes held while waiting for the ClientHello. */
  static final int MAX_HELD = MAX_HELLO + 1024;

  private static final Logger log = LoggerFactory.getLogger(TunnelInspector.class);
  private static final LogLimiter REFUSED_LINES = LogLimiter.perMinute(20);

  /** What happens to a tunnel whose ClientHello passed (or whose failed check was allowed). */
  @FunctionalInterface
  public interface Passed {
    /**
     * Called on the client's event loop after the inspector removed itself. Takes ownership of
     * {@code held}, the client's first bytes unchanged.
     *
     * @param tls false when the bytes are not TLS (a not-tls check the policy allowed)
     * @param serverName the ClientHello's server name as sent, or null
     */
    void passed(Channel client, ByteBuf held, boolean tls, String serverName);
  }

  private final Supplier<PolicySnapshot> policy;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final Duration timeout;
  private final TunnelTarget target;
  private final Passed next;
  private ByteBuf held;
  private ScheduledFuture<?> timer;
  private boolean settled;

  /**
   * An inspector for the tunnel {@code target} that hands a passing tunnel to {@code next}.
   *
   * @param timeout how long the client may take to send its ClientHello
   */
  public TunnelInspector(Supplier<PolicySnapshot> policy, ProxyMetrics metrics, Clock clock,
      Duration timeout, TunnelTarget target, Passed next) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.target = Objects.requireNonNull(target, "target");
    this.next = Objects.requireNonNull(next, "next");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("ClientHello timeout " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    held = ctx.alloc().buffer(1024);
    timer = ctx.executor().schedule(() -> timedOut(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (settled || !(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    int room = MAX_HELD - held.readableBytes();
    boolean over = bytes.readableBytes() > room;
    held.writeBytes(bytes, bytes.readerIndex(), Math.min(room, bytes.readableBytes()));
    ClientHello hello = ClientHelloParser.parse(held, MAX_HELLO);
    if (over) {
      // judged on what fits; whatever the verdict, the bytes past the hold go on with the rest
      held.writeBytes(bytes, bytes.readerIndex() + room, bytes.readableBytes() - room);
      if (hello == ClientHello.INCOMPLETE) {
        hello = new ClientHello.NotTls("no complete ClientHello in " + MAX_HELD + " bytes");
      }
    }
    bytes.release();
    if (hello != ClientHello.INCOMPLETE) {
      settle(ctx, hello);
    }
  }

  private void timedOut(ChannelHandlerContext ctx) {
    timer = null;
    if (!settled && held != null) {
      settle(ctx, new ClientHello.NotTls("no complete ClientHello within " + timeout.toSeconds() + " s"));
    }
  }

  private void settle(ChannelHandlerContext ctx, ClientHello hello) {
    TunnelTarget t = target;
    ByteBuf bytes = held;
    held = null;
    settled = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
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
      long heldBack = REFUSED_LINES.admit();
      if (heldBack >= 0) {
        log.info("tunnel from {} to {}:{} closed: {} ({}){}",
            t.client() == null ? "?" : t.client().getHostAddress(), t.host(), t.port(),
            ruleText(outcome), outcome.detail(), LogLimiter.note(heldBack));
      }
      bytes.release();
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this);
    boolean tls = hello instanceof ClientHello.Hello;
    next.passed(ctx.channel(), bytes, tls, tls ? ((ClientHello.Hello) hello).serverName() : null);
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
