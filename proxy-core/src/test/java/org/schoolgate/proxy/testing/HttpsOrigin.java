package org.schoolgate.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An HTTPS origin on 127.0.0.1:0 (Netty) presenting a certificate issued by a {@link TestCa}.
 * It answers:
 * <ul>
 *   <li>{@code /big?mib=N}: N MiB of {@code x}, chunked, streamed 64 KiB at a time;
 *   <li>a request with {@code Upgrade: websocket}: {@code 101}, then echoes every byte back;
 *   <li>anything else: {@code 200} text with {@code uri=}, {@code host=} and
 *       {@code youtube-restrict=} lines, so a test sees what arrived.
 * </ul>
 */
public final class HttpsOrigin implements BeforeAllCallback, AfterAllCallback {
  private static final int CHUNK = 64 * 1024;

  private final java.util.function.Supplier<TestCa.Issued> certificate;
  private final AtomicInteger connections = new AtomicInteger();
  private TestCa.Issued issued;
  private EventLoopGroup group;
  private Channel server;

  public HttpsOrigin(java.util.function.Supplier<TestCa.Issued> certificate) {
    this.certificate = certificate;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    issued = certificate.get();
    SslContext tls = SslContextBuilder.forServer(issued.key(), issued.certificate(), issued.issuer())
        .build();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.incrementAndGet();
            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            ch.pipeline().addLast("http", new HttpServerCodec());
            ch.pipeline().addLast("app", new App());
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

  /** The certificate this origin presents. */
  public java.security.cert.X509Certificate certificate() {
    return issued.certificate();
  }

  /** TCP connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private static final class App extends SimpleChannelInboundHandler<HttpObject> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (!(msg instanceof HttpRequest request)) {
        return;
      }
      String uri = request.uri();
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if ("websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
        HttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        ctx.writeAndFlush(switching);
        ctx.pipeline().remove("http");
        ctx.pipeline().replace(this, "echo", new Echo());
        return;
      }
      if (uri.startsWith("/big")) {
        int mib = Integer.parseInt(new QueryStringDecoder(uri).parameters().get("mib").get(0));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        byte[] chunk = new byte[CHUNK];
        java.util.Arrays.fill(chunk, (byte) 'x');
        new Streamer(ctx, chunk, mib * 16, keepAlive).next();
        return;
      }
      String text = "uri=" + uri + "\nhost=" + request.headers().get(HttpHeaderNames.HOST)
          + "\nyoutube-restrict=" + request.headers().get("YouTube-Restrict") + "\n";
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      HttpUtil.setContentLength(response, response.content().readableBytes());
      HttpUtil.setKeepAlive(response, keepAlive);
      ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
          : ChannelFutureListener.CLOSE);
    }
  }

  /** Writes chunks as the client takes them (each write's completion sends the next). */
  private record Streamer(ChannelHandlerContext ctx, byte[] chunk, int count, boolean keepAlive) {
    void next() {
      send(0);
    }

    private void send(int i) {
      if (i == count) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(keepAlive
            ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        return;
      }
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))).addListener(f -> {
        if (f.isSuccess()) {
          send(i + 1);
        }
      });
    }
  }

  private static final class Echo extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes) {
        ctx.writeAndFlush(bytes);
      } else {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }
  }
}
