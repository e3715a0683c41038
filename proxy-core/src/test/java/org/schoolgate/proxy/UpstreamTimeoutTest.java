package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/** An origin that accepts but never answers gets the 504 page after the idle timeout. */
class UpstreamTimeoutTest {
  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("silent.test", "127.0.0.1")
      .idleTimeout(Duration.ofSeconds(1));

  static ServerSocket silent;
  static final List<Socket> accepted = new ArrayList<>();

  @BeforeAll
  static void startSilentOrigin() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          accepted.add(silent.accept()); // read nothing, answer nothing
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-origin");
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stopSilentOrigin() throws IOException {
    silent.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  @Test
  void silentOriginGets504Page() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get("http://silent.test:" + silent.getLocalPort() + "/");

      assertThat(r.status()).isEqualTo(504);
      assertThat(r.text()).contains("The site took too long to answer");
    }
    assertThat(proxy.registry().counter(ProxyMetrics.UPSTREAM_ERRORS, "kind", "timeout").count())
        .isPositive();
  }
}
