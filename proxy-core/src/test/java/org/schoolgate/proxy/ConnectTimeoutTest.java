package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * An origin whose accept queue is full never completes the TCP handshake (the kernel drops the
 * SYN), so the proxy's connect times out: the client gets the 504 page, not a bare 502.
 */
class ConnectTimeoutTest {
  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("full.test", "127.0.0.1")
      .connectTimeout(Duration.ofSeconds(2));

  static ServerSocket full;
  static final List<Socket> fillers = new ArrayList<>();

  @BeforeAll
  static void fillTheAcceptQueue() throws IOException {
    full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    // never accept(): with backlog 1 the queue holds two connections, later SYNs are dropped
    for (int i = 0; i < 3; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
        fillers.add(s);
      } catch (IOException e) {
        s.close();
      }
    }
  }

  @AfterAll
  static void close() throws IOException {
    for (Socket s : fillers) {
      s.close();
    }
    full.close();
  }

  @Test
  void connectTimeoutGets504Page() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get("http://full.test:" + full.getLocalPort() + "/");

      assertThat(r.status()).isEqualTo(504);
      assertThat(r.text()).contains("The site took too long to answer");
    }
  }

  @Test
  void aConnectThatHangsDoesNotStallOtherClientsOnTheEventLoops() throws Exception {
    CompletableFuture<Integer> hanging = CompletableFuture.supplyAsync(() -> {
      try (ProxyClient staff = proxy.client(STAFF)) {
        return staff.get("http://full.test:" + full.getLocalPort() + "/").status();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    int served = 0;
    long slowest = 0;
    // new connections cycle through every client event loop, including the hanging one's
    while (!hanging.isDone()) {
      long start = System.nanoTime();
      try (ProxyClient pupil = proxy.client(PUPIL)) {
        assertThat(pupil.get("http://betting.test/").status()).isEqualTo(403);
      }
      slowest = Math.max(slowest, System.nanoTime() - start);
      served++;
    }

    assertThat(hanging.get()).isEqualTo(504);
    assertThat(served).isGreaterThan(10);
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
  }
}
