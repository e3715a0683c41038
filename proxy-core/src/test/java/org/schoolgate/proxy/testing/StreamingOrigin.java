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
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An origin on 127.0.0.1:0 (Netty; TLS with a {@link TestCa} certificate when given one) that
 * streams scripted bodies: each route gives a content type, an optional content coding and its
 * body as pieces, written chunked one at a time as the client takes them (each write's completion
 * sends the next), so a stream can be cut by the proxy in the middle. It keeps every request
 * body it read ({@link #requestBodies()}) and counts the pieces it got to write per route
 * ({@link #written(String)}).
 */
public final class StreamingOrigin implements BeforeAllCallback, AfterAllCallback {
  /** One scripted answer. */
  public record Route(String contentType, String contentEncoding, Supplier<Iterator<byte[]>> body) {
    public static Route of(String contentType, String... pieces) {
      return new Route(contentType, null, () -> java.util.Arrays.stream(pieces)
          .map(p -> p.getBytes(StandardCharsets.UTF_8)).iterator());
    }

    public static Route bytes(String contentType, String contentEncoding, byte[] body) {
      return new Route(contentType, contentEncoding, () -> List.of(body).iterator());
    }
  }

  private final Supplier<TestCa.Issued> certificate;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> written = new ConcurrentHashMap<>();
  private final List<String> requestBodies = new CopyOnWriteArrayList<>();
  private EventLoopGroup group;
  private Channel server;
  private TestCa.Issued issued;

  /** A plain-HTTP origin. */
  public StreamingOrigin() {
    this(null);
  }

  /** An HTTPS origin presenting {@code certificate}'s certificate. */
  public StreamingOrigin(Supplier<TestCa.Issued> certificate) {
    this.certificate = certificate;
  }

  /** Answers {@code path} (without the query) with {@code route}. */
  public StreamingOrigin route(String path, Route route) {
    routes.put(path, route);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    SslContext tls = null;
    if (certificate != null) {
      issued = certificate.get();
      tls = SslContextBuilder.forServer(issued.key(), issued.certificate(), issued.issuer()).build();
    }
    SslContext serverTls = tls;
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (serverTls != null) {
              ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new HttpServerCodec());
            ch.pipeline().addLast(new App());
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Request bodies read so far, as UTF-8 text. */
  public List<String> requestBodies() {
    return requestBodies;
  }

  /** Body pieces of {@code path} this origin handed to its connection so far. */
  public int written(String path) {
    AtomicInteger n = written.get(path);
    return n == null ? 0 : n.get();
  }

  private final class App extends SimpleChannelInboundHandler<HttpObject> {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String path;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpRequest request) {
        path = request.uri().replaceFirst("\\?.*$", "");
        body.reset();
      }
      if (msg instanceof HttpContent c) {
        byte[] b = new byte[c.content().readableBytes()];
        c.content().getBytes(c.content().readerIndex(), b);
        body.writeBytes(b);
      }
      if (!(msg instanceof LastHttpContent)) {
        return;
      }
      if (body.size() > 0) {
        requestBodies.add(body.toString(StandardCharsets.UTF_8));
      }
      Route route = routes.get(path);
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
          route == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      if (route == null) {
        ctx.write(head);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, route.contentType());
      if (route.contentEncoding() != null) {
        head.headers().set(HttpHeaderNames.CONTENT_ENCODING, route.contentEncoding());
      }
      ctx.write(head);
      AtomicInteger count = written.computeIfAbsent(path, k -> new AtomicInteger());
      send(ctx, route.body().get(), count);
    }

    private void send(ChannelHandlerContext ctx, Iterator<byte[]> pieces, AtomicInteger count) {
      if (!pieces.hasNext()) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return;
      }
      count.incrementAndGet();
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(pieces.next()))).addListener(f -> {
        if (f.isSuccess()) {
          send(ctx, pieces, count);
        }
      });
    }
  }
}
