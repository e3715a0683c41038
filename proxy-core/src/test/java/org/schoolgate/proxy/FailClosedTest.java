package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/** Without a usable policy every request is blocked, and counted. */
class FailClosedTest {
  static final AtomicBoolean throwing = new AtomicBoolean();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("school.test", "127.0.0.1")
      .policySupplier(() -> {
        if (throwing.get()) {
          throw new IllegalStateException("policy store broken");
        }
        return null;
      });

  @Test
  void noPolicyBlocksWithTheFailClosedRule() throws Exception {
    throwing.set(false);
    double before = failClosedCount();
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get("http://school.test/");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("fail-closed", "No policy is loaded");
    }
    assertThat(failClosedCount()).isEqualTo(before + 1);
  }

  @Test
  void anExceptionWhileDecidingBlocks() throws Exception {
    throwing.set(true);
    double before = failClosedCount();
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.connectTunnel("school.test:443");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("fail-closed");
    }
    assertThat(failClosedCount()).isEqualTo(before + 1);
  }

  private static double failClosedCount() {
    return proxy.registry().counter(ProxyMetrics.FAIL_CLOSED).count();
  }
}
