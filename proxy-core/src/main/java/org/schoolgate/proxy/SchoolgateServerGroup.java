package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.ServerGroup;

/**
 * LittleProxy's thread pools replaced by one group of event loops (one per core) that accepts
 * clients, serves them and talks to origins, with these changes over LittleProxy's three pools:
 * <ul>
 *   <li>client channels get {@link ConnectionSetup} in their pipeline before they are registered.
 *       That is the only point where Schoolgate's handlers can join a client pipeline before the
 *       first byte is read (LittleProxy has no pipeline hook), which the 400/414 pages for a
 *       malformed first request need;
 *   <li>LittleProxy's upstream (proxy-to-server) channels are registered on the event loop that
 *       opens them, which is the client connection's loop. A request and its response then never
 *       change threads: no task hand-over and no selector wake-up per message, and one set of
 *       loops (one per core) does all the work, as in squid's single loop;
 *   <li>every channel, both sides, starts with a {@link FlushConsolidationHandler}: LittleProxy
 *       flushes each HTTP object it forwards (head, body chunk, end), so a small response cost
 *       three socket writes; consolidated, the writes made while one read is processed go out in
 *       one {@code write} system call after it.
 * </ul>
 * LittleProxy never blocks its loop waiting for an upstream connection: the {@code DnsGate}
 * parks a request's body while the connection is made (see {@code DecisionFilter}).
 */
final class SchoolgateServerGroup extends ServerGroup {
  /** Pipeline name of the flush consolidation handler (first on every channel). */
  static final String FLUSH_CONSOLIDATION = "schoolgate-flush-consolidation";

  private final EventLoopGroup workers;

  SchoolgateServerGroup(String name, int threads, ChannelHandler setup) {
    // LittleProxy creates its pools lazily, on the first getter call: all three are overridden,
    // so they never exist.
    super(name, 1, 1, 1, true);
    this.workers = new Workers(threads, name, setup);
  }

  /** Accepting on the workers: a new client is registered on the accepting loop half the time. */
  @Override
  public EventLoopGroup getClientToProxyAcceptorPoolForTransport(TransportProtocol protocol) {
    return workers;
  }

  @Override
  public EventLoopGroup getClientToProxyWorkerPoolForTransport(TransportProtocol protocol) {
    return workers;
  }

  @Override
  public EventLoopGroup getProxyToServerWorkerPoolForTransport(TransportProtocol protocol) {
    return workers;
  }

  @Override
  public void shutdown(boolean graceful) {
    super.shutdown(graceful);
    if (graceful) {
      workers.shutdownGracefully();
    } else {
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /**
   * Worker loops that set up every accepted client channel, and keep every upstream channel on
   * the loop that asks for it.
   */
  private static final class Workers extends MultiThreadIoEventLoopGroup {
    private final ChannelHandler setup;

    Workers(int threads, String name, ChannelHandler setup) {
      super(threads, new DefaultThreadFactory(name + "-worker"), NioIoHandler.newFactory());
      this.setup = setup;
    }

    @Override
    public ChannelFuture register(Channel channel) {
      if (!(channel instanceof SocketChannel)) { // the listening socket
        return super.register(channel);
      }
      channel.pipeline().addFirst(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(
          FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
      if (channel.parent() != null) { // accepted from a client
        channel.pipeline().addLast(ConnectionSetup.NAME, setup);
        return super.register(channel);
      }
      EventLoop current = currentLoop();
      return current != null ? current.register(channel) : super.register(channel);
    }

    /** The loop of this group running the calling thread, or null. */
    private EventLoop currentLoop() {
      for (EventExecutor loop : this) {
        if (loop.inEventLoop()) {
          return (EventLoop) loop;
        }
      }
      return null;
    }
  }
}
