package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.metrics.ProxyMetrics;

class ProxyServerStartTest {
  @TempDir Path dir;

  private ProxyConfig config(InetSocketAddress listen) {
    return ProxyConfig.builder().listen(listen).accessLogDir(dir.resolve("logs")).build();
  }

  @Test
  void portZeroBindsAFreePortAndRegistersTheMeterCatalogue() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ProxyServer proxy = ProxyServer.start(
        config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), () -> null, registry,
        Clock.systemUTC())) {
      assertThat(proxy.address().getPort()).isPositive();
      assertThat(registry.find(ProxyMetrics.CONNECTIONS_ACTIVE).gauge()).isNotNull();
      assertThat(registry.find(ProxyMetrics.ACCESS_LOG_QUEUE_DEPTH).gauge()).isNotNull();
      assertThat(registry.find(ProxyMetrics.DECISION_LATENCY).timer()).isNotNull();
      assertThat(registry.find(ProxyMetrics.DNS_CACHE_MISSES).counter()).isNotNull();
    }
  }

  @Test
  void aPortInUseFailsWithAMessageNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress listen =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

      assertThatThrownBy(() -> ProxyServer.start(config(listen), () -> null,
          new SimpleMeterRegistry(), Clock.systemUTC()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("proxy could not start on " + listen)
          .hasMessageContaining("expected: a free port");
    }
  }
}
