package org.schoolgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.ScriptedOrigin;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * Slowloris: hundreds of connections that each send part of a request head and then nothing do
 * not stop another client being served, and each is answered 408 and closed when the head-read
 * timeout passes.
 */
class SlowlorisTest {
  private static final int SLOW = 300;

  @RegisterExtension
  static ScriptedOrigin origin = new ScriptedOrigin();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("school.test", "127.0.0.1")
      .connections(ProxyConfig.Connections.DEFAULTS.withHeadTimeout(Duration.ofSeconds(3))
          .withDrainTimeout(Duration.ofSeconds(1)));

  @Test
  void halfSentRequestsDoNotStopANormalClientAndAreClosedAtTheHeadTimeout() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(PUPIL, 0));
        s.connect(proxy.address(), 5_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("GET http://school.test:" + origin.port() + "/ HTTP/1.1\r\n"
            + "Host: scho").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }

      try (ProxyClient staff = proxy.client(STAFF)) {
        for (int i = 0; i < 20; i++) {
          assertThat(staff.get("http://school.test:" + origin.port() + "/normal-" + i).status())
              .isEqualTo(200);
        }
      }

      for (Socket s : slow) {
        byte[] answer = s.getInputStream().readAllBytes(); // the 408 page, then the close
        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408 ");
      }
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.registry()
          .counter(ProxyMetrics.REJECTED, "reason", "header-timeout").count())
          .isGreaterThanOrEqualTo(SLOW));
    } finally {
      for (Socket s : slow) {
        closeQuietly(s);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
