package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.ServerGroup;

/**
 * LittleProxy's thread pools, with one change: client channels are registered on our own worker
 * group, which adds {@link ConnectionSetup} to each new channel's pipeline before it is
 * registered. That is the only point where Schoolgate's handlers can join a client pipeline
 * before the first byte is read (LittleProxy has no pipeline hook), which the 400/414 pages for a
 * malformed first request need.
 */
final class SchoolgateServerGroup extends ServerGroup {
  private final EventLoopGroup clientWorkers;

  SchoolgateServerGroup(String name, int threads, ChannelHandler setup) {
    // LittleProxy's own client worker pool is created but never used: ask for one thread.
    super(name, 1, 1, threads, true);
    this.clientWorkers = new ClientWorkers(threads, name, setup);
  }

  @Override
  public EventLoopGroup getClientToProxyWorkerPoolForTransport(TransportProtocol protocol) {
    return clientWorkers;
  }

  @Override
  public void shutdown(boolean graceful) {
    super.shutdown(graceful);
    if (graceful) {
      clientWorkers.shutdownGracefully();
    } else {
      clientWorkers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /** Client worker loops that add the setup handler to every channel they register. */
  private static final class ClientWorkers extends MultiThreadIoEventLoopGroup {
    private final ChannelHandler setup;

    ClientWorkers(int threads, String name, ChannelHandler setup) {
      super(threads, new DefaultThreadFactory(name + "-client"), NioIoHandler.newFactory());
      this.setup = setup;
    }

    @Override
    public ChannelFuture register(Channel channel) {
      channel.pipeline().addLast(ConnectionSetup.NAME, setup);
      return super.register(channel);
    }
  }
}
