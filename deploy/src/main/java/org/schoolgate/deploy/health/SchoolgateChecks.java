package org.schoolgate.deploy.health;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.admin.health.HealthChecks;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.store.Store;

/**
 * The checks of one running Schoolgate, built before the admin API starts (which is before the
 * proxy: the block page needs the admin API's address), with the proxy joining later through
 * {@link #proxyStarted}.
 *
 * <pre>{@code
 * SchoolgateChecks checks = new SchoolgateChecks(holder, store, deliveryConfigured, clock);
 * AdminServer admin = AdminServer.start(config, holder, store, registry, clock, checks.checks());
 * ...
 * checks.proxyStarted(proxy);
 * }</pre>
 */
public final class SchoolgateChecks {
  private final AtomicReference<ProxyServer> proxy = new AtomicReference<>();
  private final HealthChecks checks;

  public SchoolgateChecks(PolicyHolder holder, Store store, boolean deliveryConfigured, Clock clock) {
    List<HealthCheck> all = List.of(new ProxyCheck(proxy::get), new AccessLogCheck(proxy::get, clock),
        new StoreCheck(store), new OutboxCheck(store.deliveries(), deliveryConfigured, clock), new ListsCheck(holder));
    this.checks = HealthChecks.of(all);
  }

  /** The checks for the admin API (proxy, access-log, store, alert-outbox, lists). */
  public HealthChecks checks() {
    return checks;
  }

  /** The proxy is serving: its checks report on it from the next round. */
  public void proxyStarted(ProxyServer started) {
    proxy.set(started);
  }
}
