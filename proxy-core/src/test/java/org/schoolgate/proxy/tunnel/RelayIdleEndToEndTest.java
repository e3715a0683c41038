package org.schoolgate.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.EchoServer;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * A relayed CONNECT tunnel (its checks passed) keeps no HTTP or idle handler, but still closes
 * after the idle timeout with no byte either way, stays open while bytes keep moving, and counts
 * its bytes each way for the access log.
 */
class RelayIdleEndToEndTest {
  private static final String PUPIL = "127.0.0.2";

  @RegisterExtension
  static EchoServer echo = new EchoServer();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          default: acceptable
          tunnels:
            allowed-ports: [1024-65535]
            ip-literal: allow
            not-tls: allow
          """)
      .idleTimeout(Duration.ofSeconds(1));

  @Test
  void aSilentTunnelIsClosedAfterTheIdleTimeoutAndItsBytesAreLogged() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("127.0.0.1:" + echo.port()).status()).isEqualTo(200);
      assertThat(roundTrip(pupil, "ping-one")).isEqualTo("ping-one");
      pupil.socket().setSoTimeout(30_000);
      assertThat(pupil.in().read()).isEqualTo(-1); // closed by the proxy, not by the client
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(line -> assertThat(line)
            .containsEntry("method", "CONNECT")
            .containsEntry("status", 200L)
            .containsEntry("bytesIn", 8L)
            .containsEntry("bytesOut", 8L)));
  }

  @Test
  void aTunnelWhoseBytesKeepMovingOutlivesTheIdleTimeout() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("127.0.0.1:" + echo.port()).status()).isEqualTo(200);
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      int rounds = 0;
      while (System.nanoTime() < until) {
        String text = "ping-" + (rounds++ % 10);
        assertThat(roundTrip(pupil, text)).isEqualTo(text);
      }
      assertThat(roundTrip(pupil, "still-open")).isEqualTo("still-open");
    }
  }

  @Test
  void bytesSentRightBehindTheConnectBeforeItsAnswerReachTheOrigin() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      // the client does not wait for the 200: the codec holds these bytes (and reading stops)
      // until the tunnel is up, then they go first
      String hostPort = "127.0.0.1:" + echo.port();
      String early = "x".repeat(40_000);
      assertThat(pupil.send("CONNECT " + hostPort + " HTTP/1.1\r\nHost: " + hostPort + "\r\n\r\n"
          + early, true).status()).isEqualTo(200);
      byte[] got = pupil.in().readNBytes(early.length());
      assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(early);
      assertThat(roundTrip(pupil, "after")).isEqualTo("after");
    }
  }

  private static String roundTrip(ProxyClient client, String text) throws Exception {
    OutputStream out = client.out();
    InputStream in = client.in();
    byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
    out.write(sent);
    out.flush();
    byte[] got = new byte[sent.length];
    int n = 0;
    while (n < got.length) {
      int r = in.read(got, n, got.length - n);
      if (r < 0) {
        return "closed after " + n + " bytes";
      }
      n += r;
    }
    return new String(got, StandardCharsets.US_ASCII);
  }
}
