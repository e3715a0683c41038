package org.schoolgate.proxy.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether io_uring works here, not only loads. Netty's {@code IoUring.isAvailable()} sets a ring
 * up and asks the kernel which operations it has, but never enters the ring: a sandbox whose
 * seccomp profile allows {@code io_uring_setup} and {@code io_uring_register} but not {@code
 * io_uring_enter} passes it, and the proxy would start with event loops that die at their first
 * wait (found with such a filter in TransportStartTest). The probe makes one loopback connection
 * over io_uring on its own one-thread loop group — a listener, a client, one byte there and back —
 * within a ceiling, and shuts the group down after. Run once at start, never on an event loop.
 */
final class IoUringProbe {
  /** What the probe found. */
  sealed interface Outcome permits Passed, Failed {}

  /** One byte went to a loopback listener and came back over io_uring. */
  record Passed() implements Outcome {}

  /** It did not: {@code why} says what failed (a cause, or the step that timed out). */
  record Failed(String why) implements Outcome {}

  private IoUringProbe() {}

  /** Probes with one loop and gives up after {@code ceiling} per step. */
  static Outcome run(Duration ceiling) {
    EventLoopGroup loops;
    try {
      loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("schoolgate-uring-probe",
          true), IoUringIoHandler.newFactory());
    } catch (RuntimeException | Error e) { // UnsatisfiedLinkError, ring set-up refused
      return new Failed("cannot make an io_uring event loop: " + e);
    }
    Channel listener = null;
    Channel client = null;
    try {
      InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      listener = step("bind a loopback listener", new ServerBootstrap().group(loops)
          .channel(IoUringServerSocketChannel.class)
          .childHandler(new Echo())
          .bind(loopback), ceiling);
      CompletableFuture<Integer> echoed = new CompletableFuture<>();
      client = step("connect to it", new Bootstrap().group(loops)
          .channel(IoUringSocketChannel.class)
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              try {
                echoed.complete((int) ((ByteBuf) msg).getUnsignedByte(0));
              } finally {
                ReferenceCountUtil.release(msg);
              }
            }
          })
          .connect(listener.localAddress()), ceiling);
      client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42}));
      int back = echoed.get(ceiling.toMillis(), TimeUnit.MILLISECONDS);
      return back == 42 ? new Passed()
          : new Failed("a loopback connection echoed " + back + " for 42");
    } catch (TimeoutException e) {
      return new Failed("a byte sent over a loopback connection did not come back within "
          + ceiling.toMillis() + " ms");
    } catch (StepFailed e) {
      return new Failed(e.getMessage());
    } catch (Exception e) {
      return new Failed("a loopback connection failed: " + e);
    } finally {
      if (client != null) {
        client.close();
      }
      if (listener != null) {
        listener.close();
      }
      // a loop that died (io_uring_enter refused) never terminates: wait a little, not forever
      loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(
          ceiling.toMillis());
    }
  }

  private static Channel step(String what, ChannelFuture f, Duration ceiling) throws StepFailed {
    if (!f.awaitUninterruptibly(ceiling.toMillis())) {
      throw new StepFailed("could not " + what + " within " + ceiling.toMillis() + " ms");
    }
    if (!f.isSuccess()) {
      throw new StepFailed("could not " + what + ": " + f.cause());
    }
    return f.channel();
  }

  /** A step of the probe that failed, with what it was. */
  private static final class StepFailed extends Exception {
    StepFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** Sends back what it reads. */
  @ChannelHandler.Sharable
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }
}
