package org.schoolgate.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.schoolgate.admin.AdminConfig;
import org.schoolgate.admin.AdminServer;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.store.Store;

/**
 * One running Schoolgate: the policy holder, the database, the proxy and the admin API sharing one
 * meter registry. The database opens (and migrates) first, then the admin API (the block page links
 * to it), then the alert engine and the proxy (whose access-log thread hands every event to the
 * engine); {@link #close()} stops them in reverse, so the alerts of the last requests are raised
 * before the database closes.
 */
final class Schoolgate implements AutoCloseable {
  private final RuntimeConfig config;
  private final PolicyHolder holder;
  private final ProxyServer proxy;
  private final AdminServer admin;
  private final Store store;
  private final String setupToken;
  private final AlertEngine alerts;

  private Schoolgate(RuntimeConfig config, PolicyHolder holder, ProxyServer proxy, AdminServer admin, Store store,
      String setupToken, AlertEngine alerts) {
    this.alerts = alerts;
    this.config = config;
    this.holder = holder;
    this.proxy = proxy;
    this.admin = admin;
    this.store = store;
    this.setupToken = setupToken;
  }

  /** Loads the policy and starts the proxy and the admin API; fails without leaving anything running. */
  static Schoolgate start(RuntimeConfig config, Clock clock) throws PolicyException, IOException {
    Files.createDirectories(config.accessLogDir());
    PolicyHolder holder = PolicyHolder.load(config.policy(), clock);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    countReloads(holder, registry);

    Store store = Store.open(config.database(), clock);
    // No account yet: a one-time token (printed in the banner, never logged) lets the school create
    // the first admin through the API; 'schoolgate accounts add' does the same from the shell.
    String setupToken = store.accounts().count() == 0 ? SetupToken.generate() : null;
    // The admin API starts first so the block page can link to its real address (port 0 in tests).
    AdminServer admin;
    try {
      admin = AdminServer.start(new AdminConfig(config.admin().listen(), config.maxUnblock(), setupToken,
          AdminConfig.DEFAULT_UNBLOCK_TICK), holder, store, registry, clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      ProxyConfig proxyConfig = new ProxyConfig(
          config.proxy().listen(),
          config.accessLogDir(),
          config.admin().effectivePublicUrl(admin.address()) + "/request-access",
          config.proxy().connectTimeout(),
          config.proxy().idleTimeout(),
          config.proxy().maxRequestLineBytes(),
          config.dns().staticHosts(),
          config.dns().servers());
      AlertEngine alerts = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS,
          () -> holder.current().alertPolicy());
      ProxyServer proxy;
      try {
        proxy = ProxyServer.start(proxyConfig, holder::current, registry, clock,
            event -> alerts.offer(toAlertInput(event)));
      } catch (RuntimeException e) {
        alerts.close();
        throw e;
      }
      return new Schoolgate(config, holder, proxy, admin, store, setupToken, alerts);
    } catch (RuntimeException e) {
      try {
        admin.close();
        store.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The alert rules' view of an access event (the alerts module does not know the proxy). */
  static AccessInput toAlertInput(AccessEvent e) {
    String url;
    if (e.host() == null) {
      url = null;
    } else if ("https".equals(e.scheme())) {
      url = e.host() + ":" + e.port();
    } else {
      url = (e.scheme() == null ? "http" : e.scheme()) + "://" + e.host()
          + (e.port() > 0 && e.port() != 80 ? ":" + e.port() : "")
          + (e.path() == null ? "" : e.path()) + (e.query() == null ? "" : "?" + e.query());
    }
    return new AccessInput(e.time(), e.zone(), e.client(), e.user(), e.group(), e.host(), url, e.categories(),
        e.action(), e.level(), e.rule(), e.search());
  }

  private static void countReloads(PolicyHolder holder, PrometheusMeterRegistry registry) {
    Counter reloaded = Counter.builder("schoolgate.policy.reloads").tag("result", "reloaded")
        .description("Policy reload attempts by result").register(registry);
    Counter rejected = Counter.builder("schoolgate.policy.reloads").tag("result", "rejected")
        .description("Policy reload attempts by result").register(registry);
    holder.onReload(r -> (r instanceof ReloadResult.Reloaded ? reloaded : rejected).increment());
  }

  RuntimeConfig config() {
    return config;
  }

  PolicyHolder policy() {
    return holder;
  }

  ProxyServer proxy() {
    return proxy;
  }

  AdminServer admin() {
    return admin;
  }

  Store store() {
    return store;
  }

  /** The first-run token when the database had no account at start, else null. */
  String setupToken() {
    return setupToken;
  }

  /**
   * Stops the proxy (closing its connections and flushing the access log), the alert engine
   * (raising what is queued), the admin API, then the database.
   */
  @Override
  public void close() {
    try {
      proxy.close();
    } finally {
      try {
        alerts.close();
      } finally {
        try {
          admin.close();
        } finally {
          store.close();
        }
      }
    }
  }
}
