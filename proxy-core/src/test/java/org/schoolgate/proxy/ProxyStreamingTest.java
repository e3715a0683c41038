package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.testing.LazyOrigin;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/** Large responses stream through: the proxy never holds a whole body. */
class ProxyStreamingTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;

  @RegisterExtension
  static LazyOrigin origin = new LazyOrigin(FIFTY_MB);

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("big.test", "127.0.0.1");

  @Test
  void fiftyMegabyteResponseStreamsWithoutBeingBuffered() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response head = staff.sendAndReadHead("GET http://big.test:" + origin.port()
          + "/big.bin HTTP/1.1\r\nHost: big.test\r\n\r\n");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo(String.valueOf(FIFTY_MB));

      InputStream in = staff.in();
      byte[] first = in.readNBytes(LazyOrigin.FIRST_PART);
      // the origin has not written the rest yet: these bytes can only come from streaming
      assertThat(origin.hasFinishedWriting()).isFalse();
      origin.clientReceivedFirstPart();

      long total = first.length;
      byte[] buf = new byte[256 * 1024];
      while (total < FIFTY_MB) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, FIFTY_MB - total));
        assertThat(n).as("stream ended after %d bytes", total).isPositive();
        total += n;
      }

      assertThat(total).isEqualTo(FIFTY_MB);
      assertThat(origin.gaveUpWaiting()).isFalse();
    }
  }
}
