package org.schoolgate.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A keep-alive HTTP/1.1 origin (Netty) on one port of one or more loopback addresses, counting
 * the connections each address accepted and recording every request it read. Paths:
 * <ul>
 *   <li>{@code /chunked}: a chunked body {@code one two} with the trailer {@code X-Trailer: yes};
 *   <li>{@code /close}: answers with {@code Connection: close} and closes;
 *   <li>{@code /eof}: a body with no length, ended by closing;
 *   <li>{@code /hints}: {@code 103 Early Hints}, then the answer;
 *   <li>{@code /slow}: answers after a second;
 *   <li>anything else: 200 with lines {@code path=}, {@code via=}, {@code connection=},
 *       {@code x-hop=}, {@code max-forwards=}, {@code body=} (length of the request body).
 * </ul>
 * The aggregator answers {@code Expect: 100-continue} with 100 before reading the body.
 */
public final class ScriptedOrigin implements BeforeAllCallback, AfterAllCallback {
  private final List<String> addresses;
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private EventLoopGroup group;
  private int port;

  /** Listens on {@code addresses} (default 127.0.0.1), all on the same free port. */
  public ScriptedOrigin(String... addresses) {
    this.addresses = addresses.length == 0 ? List.of("127.0.0.1") : List.of(addresses);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            String local = ((InetSocketAddress) ch.localAddress()).getAddress().getHostAddress();
            connections.computeIfAbsent(local, a -> new AtomicInteger()).incrementAndGet();
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new Answer(local));
          }
        });
    for (String address : addresses) {
      Channel bound = b.bind(address, port).sync().channel();
      port = ((InetSocketAddress) bound.localAddress()).getPort();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  /** Connections accepted on {@code address} so far. */
  public int connections(String address) {
    AtomicInteger n = connections.get(address);
    return n == null ? 0 : n.get();
  }

  /** Connections accepted on every address so far. */
  public int connections() {
    return connections.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** The requests read so far: path, the listening address ({@code local}) and the headers. */
  public List<Map<String, String>> requests() {
    return new ArrayList<>(requests);
  }

  private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String local;

    Answer(String local) {
      this.local = local;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Map<String, String> seen = new ConcurrentHashMap<>();
      req.headers().forEach(h -> seen.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      seen.put(":path", req.uri());
      seen.put(":local", local);
      requests.add(seen);
      switch (req.uri()) {
        case "/chunked" -> {
          HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
          head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
          ctx.write(head);
          ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("one ", StandardCharsets.US_ASCII)));
          ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("two", StandardCharsets.US_ASCII)));
          LastHttpContent last = new DefaultLastHttpContent();
          last.trailingHeaders().set("X-Trailer", "yes");
          ctx.writeAndFlush(last);
        }
        case "/close" -> {
          FullHttpResponse r = text("closing");
          r.headers().set(HttpHeaderNames.CONNECTION, "close");
          ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
        case "/eof" -> {
          ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
          ctx.writeAndFlush(new DefaultLastHttpContent(
              Unpooled.copiedBuffer("until the end", StandardCharsets.US_ASCII)))
              .addListener(ChannelFutureListener.CLOSE);
        }
        case "/slow" -> ctx.executor().schedule(() -> ctx.writeAndFlush(text("slow but sure")),
            1, java.util.concurrent.TimeUnit.SECONDS);
        case "/hints" -> {
          FullHttpResponse hints = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(103));
          hints.headers().set("Link", "</style.css>; rel=preload");
          ctx.write(hints);
          ctx.writeAndFlush(text("after hints"));
        }
        default -> ctx.writeAndFlush(text("path=" + req.uri() + "\nvia=" + req.headers().get("via")
            + "\nconnection=" + req.headers().get("connection") + "\nx-hop="
            + req.headers().get("x-hop") + "\nmax-forwards=" + req.headers().get("max-forwards")
            + "\nbody=" + req.content().readableBytes() + "\n"));
      }
    }

    private FullHttpResponse text(String body) {
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      return r;
    }
  }
}
