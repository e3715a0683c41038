package org.schoolgate.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

  @Test
  void accessLogQueueDepthGaugeStillReadsAfterGarbageCollection() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProxyMetrics metrics = new ProxyMetrics(registry);
    AtomicInteger depth = new AtomicInteger(7);
    metrics.bindAccessLogQueue(depth::get); // a lambda only the gauge holds

    for (int i = 0; i < 3; i++) {
      System.gc();
    }

    assertThat(registry.get(ProxyMetrics.ACCESS_LOG_QUEUE_DEPTH).gauge().value()).isEqualTo(7.0);
  }
}
