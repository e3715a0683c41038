package org.schoolgate.proxy.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real TLS handshakes: a Netty server on loopback presents leaves from {@link LeafCertificates};
 * a JDK client trusting only the school's CA checks the chain and the host name (HTTPS endpoint
 * identification), as a browser on a school device would.
 */
class LeafHandshakeTest {
  private final SchoolCa ca = SchoolCa.generate("Example School", Clock.systemUTC());
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "leaf-maker"));
  private final LeafCertificates leaves = new LeafCertificates(ca, executor, Clock.systemUTC(), Duration.ofDays(7), 100);
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    executor.shutdownNow();
  }

  @Test
  void aClientTrustingOnlyTheCaAcceptsTheLeafForTheNameItAskedFor() throws Exception {
    int port = serveLeafFor("www.example.test");

    try (SSLSocket socket = connect(trustingOnly(ca), "www.example.test", port, List.of("h2", "http/1.1"))) {
      socket.startHandshake();

      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      Certificate[] chain = socket.getSession().getPeerCertificates();
      assertThat(chain).hasSize(2);
      assertThat(chain[1]).isEqualTo(ca.certificate());
      assertThat(readLine(socket)).isEqualTo("hello");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void theLeafServesTls12AndTls13Clients(String protocol) throws Exception {
    int port = serveLeafFor("www.example.test");

    try (SSLSocket socket = connect(trustingOnly(ca), "www.example.test", port, List.of("http/1.1"))) {
      socket.setEnabledProtocols(new String[] {protocol});
      socket.startHandshake();

      assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      assertThat(readLine(socket)).isEqualTo("hello");
    }
  }

  @Test
  void aClientOfferingOnlyHttp2GetsNoAlpnAnswerAndStillConnects() throws Exception {
    int port = serveLeafFor("www.example.test");

    try (SSLSocket socket = connect(trustingOnly(ca), "www.example.test", port, List.of("h2"))) {
      socket.startHandshake();

      assertThat(socket.getApplicationProtocol()).isEmpty();
      assertThat(readLine(socket)).isEqualTo("hello");
    }
  }

  @Test
  void theLeafForOneNameIsRefusedForAnother() throws Exception {
    int port = serveLeafFor("www.example.test");

    try (SSLSocket socket = connect(trustingOnly(ca), "other.example.test", port, List.of("http/1.1"))) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("No subject alternative DNS name matching other.example.test found");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheSchoolCaRefusesTheLeaf() throws Exception {
    int port = serveLeafFor("www.example.test");
    SchoolCa otherSchool = SchoolCa.generate("Other School", Clock.systemUTC());

    try (SSLSocket socket = connect(trustingOnly(otherSchool), "www.example.test", port, List.of("http/1.1"))) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("PKIX path");
    }
  }

  @Test
  void anIpLiteralLeafPassesTheClientsAddressCheck() throws Exception {
    int port = serveLeafFor("127.0.0.1");

    try (SSLSocket socket = connect(trustingOnly(ca), "127.0.0.1", port, List.of("http/1.1"))) {
      socket.startHandshake();

      assertThat(readLine(socket)).isEqualTo("hello");
    }
  }

  @Test
  void anSniServerGetsEachNamesLeafWithoutBlockingItsEventLoop() throws Exception {
    // The way interception uses it: Netty's SniHandler asks for the context asynchronously.
    int port = serve(ch -> new SniHandler((String host, io.netty.util.concurrent.Promise<SslContext> promise) -> {
      leaves.serverContext(host).whenComplete((context, failure) -> {
        if (failure != null) {
          promise.setFailure(failure);
        } else {
          promise.setSuccess(context);
        }
      });
      return promise;
    }));

    for (String host : List.of("a.example.test", "b.example.test", "a.example.test")) {
      try (SSLSocket socket = connect(trustingOnly(ca), host, port, List.of("http/1.1"))) {
        socket.startHandshake();

        assertThat(readLine(socket)).isEqualTo("hello");
        assertThat(((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
            .getSubjectAlternativeNames()).containsExactly(List.of(2, host));
      }
    }
  }

  /** Starts a TLS server on 127.0.0.1:0 that answers "hello" after the handshake; returns its port. */
  /** Serves TLS with the leaf made for {@code name} (what interception presents); returns the port. */
  private int serveLeafFor(String name) throws Exception {
    SslContext context = leaves.serverContext(name).get(10, TimeUnit.SECONDS);
    return serve(ch -> context.newHandler(ch.alloc()));
  }

  private int serve(Function<SocketChannel, ChannelHandler> tls) throws InterruptedException {
    Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(tls.apply(ch), new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                  ctx.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
                }
                ctx.fireUserEventTriggered(event);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private static SSLContext trustingOnly(SchoolCa trusted) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("school-ca", trusted.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static SSLSocket connect(SSLContext context, String host, int port, List<String> alpn) throws IOException {
    Socket plain = new Socket("127.0.0.1", port);
    plain.setSoTimeout(10_000);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(alpn.toArray(String[]::new));
    if (!Character.isDigit(host.charAt(0))) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    socket.setSSLParameters(parameters);
    return socket;
  }

  private static String readLine(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString();
  }
}
