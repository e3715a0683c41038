package org.schoolgate.deploy.health;

import java.util.function.Supplier;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.proxy.ProxyServer;

/** {@code proxy}: down until the proxy has started and after it stopped (not ready for traffic). */
final class ProxyCheck implements HealthCheck {
  private final Supplier<ProxyServer> proxy;

  ProxyCheck(Supplier<ProxyServer> proxy) {
    this.proxy = proxy;
  }

  @Override
  public String name() {
    return "proxy";
  }

  @Override
  public CheckResult check() {
    ProxyServer p = proxy.get();
    if (p == null) {
      return CheckResult.down("the proxy has not started yet");
    }
    if (!p.running()) {
      return CheckResult.down("the proxy is stopped");
    }
    return CheckResult.ok("listening on " + p.address().getAddress().getHostAddress() + ":" + p.address().getPort());
  }
}
