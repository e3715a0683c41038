package org.schoolgate.proxy.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;

/**
 * Holds a client's request while its host is resolved, then replays it into LittleProxy.
 *
 * <p>Sits just before LittleProxy's main handler ({@code "handler"}): inbound between the decoder
 * and LittleProxy, outbound between LittleProxy and the encoder. The filter, finding the host not
 * yet cached, calls {@link #hold} and returns a {@link DnsPending} to LittleProxy. From then on:
 * <ol>
 *   <li>the sentinel write and the empty buffers LittleProxy writes after it are swallowed (their
 *       promises succeed; nothing reaches the client);
 *   <li>inbound messages (the request's body, a next request) are queued and reading is paused;
 *   <li>when the resolution completes, on this channel's event loop, the request is fired into
 *       LittleProxy again (it now finds the cache warm), then the queued messages in order, and
 *       reading resumes.
 * </ol>
 *
 * <p>The gate also <em>parks</em> inbound messages while LittleProxy connects to an origin
 * ({@link #park}/{@link #unpark}): LittleProxy otherwise blocks the event loop in {@code
 * wait()} when a request body arrives before the connection is up. LittleProxy pauses reading
 * itself while connecting, so parking leaves auto-read alone.
 *
 * <p>If the channel closes while holding, everything queued is released and the late answer is
 * ignored. All methods run on the channel's event loop except {@link #unpark}, which hops there.
 */
public final class DnsGate extends ChannelDuplexHandler {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-dns-gate";

  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private HttpRequest held;
  private HttpRequest replaying;
  private boolean holding;
  private boolean parked;
  /** Counts {@link #park} calls, so that an unpark ends only the park it answers. */
  private int parks;
  private boolean swallowEmpty;
  private boolean restoreAutoRead;
  private boolean closed;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Holds {@code request} (being processed by LittleProxy now) until {@code resolution} ends. */
  public void hold(HttpRequest request, CompletionStage<?> resolution) {
    if (holding) {
      throw new IllegalStateException("DNS gate already holds " + held.uri()
          + " (expected: one held request at a time)");
    }
    held = ReferenceCountUtil.retain(request);
    holding = true;
    ChannelConfig config = ctx.channel().config();
    restoreAutoRead = config.isAutoRead();
    config.setAutoRead(false);
    resolution.whenComplete((answer, error) -> ctx.executor().execute(this::replay));
  }

  /** True while {@code request} is being fired into LittleProxy again after its resolution. */
  public boolean isReplay(HttpRequest request) {
    return request == replaying;
  }

  /** Queues inbound messages until {@link #unpark} (LittleProxy is connecting upstream). */
  public void park() {
    parked = true;
    parks++;
  }

  /**
   * Releases parked messages; safe from any thread. Always in a later task, also on this
   * channel's loop: LittleProxy reports the connection before it leaves its connecting state,
   * and a body chunk fired at it before then would make it wait for itself. Called on the loop
   * (LittleProxy's callbacks are), it ends only the park in force when it was called: after a
   * failed connection LittleProxy may start the next one (a pipelined request's) in the same
   * task, and that park must hold, or the next body chunk makes LittleProxy wait up to 30 s on
   * this loop for a connection only this loop can complete.
   */
  public void unpark() {
    boolean onLoop = ctx.executor().inEventLoop();
    int park = parks;
    ctx.executor().execute(() -> {
      if (onLoop && park != parks) {
        return; // parked again since: the later connection's unpark releases it
      }
      parked = false;
      drain();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (holding || parked || !queued.isEmpty()) {
      queued.add(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof DnsPending) {
      ReferenceCountUtil.release(msg);
      swallowEmpty = true;
      promise.setSuccess();
      return;
    }
    if (swallowEmpty && msg instanceof ByteBuf buf && !buf.isReadable()) {
      buf.release();
      promise.setSuccess();
      return;
    }
    if (msg instanceof HttpResponse && parked) {
      parked = false; // a response means the upstream connection is settled either way
      ctx.executor().execute(this::drain);
    }
    ctx.write(msg, promise);
  }

  private void replay() {
    if (closed || !holding) {
      return;
    }
    holding = false;
    swallowEmpty = false;
    HttpRequest request = held;
    held = null;
    if (restoreAutoRead) {
      ctx.channel().config().setAutoRead(true);
    }
    replaying = request;
    try {
      ctx.fireChannelRead(request);
    } finally {
      replaying = null;
    }
    drain();
  }

  private void drain() {
    while (!holding && !parked && !closed && !queued.isEmpty()) {
      ctx.fireChannelRead(queued.poll());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseAll();
  }

  private void releaseAll() {
    closed = true;
    if (held != null) {
      ReferenceCountUtil.release(held);
      held = null;
    }
    Object msg;
    while ((msg = queued.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
