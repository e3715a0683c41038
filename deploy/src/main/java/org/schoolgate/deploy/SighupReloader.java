package org.schoolgate.deploy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.admin.reload.PolicyReloads;
import org.schoolgate.store.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the policy on SIGHUP. The signal handler only queues the reload; it runs on the
 * dedicated "schoolgate-reload" thread, never on a proxy event loop. Signals that arrive while a
 * reload is queued are folded into it (the queue holds one).
 */
final class SighupReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SighupReloader.class);

  private final ExecutorService executor;

  private SighupReloader(ExecutorService executor) {
    this.executor = executor;
  }

  /** Installs the handler; on platforms without SIGHUP logs a warning and does nothing. */
  static SighupReloader install(PolicyHolder holder, PolicyReloads reloads) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(1), r -> {
          Thread t = new Thread(r, "schoolgate-reload");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        log.info("SIGHUP received: reloading the policy from {}", holder.policyFile());
        executor.execute(() -> reload(reloads));
      });
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available on this platform; reload through the admin API instead");
    }
    return new SighupReloader(executor);
  }

  /**
   * Reloads and records it in the audit trail with what changed (actor {@code system:sighup}); a
   * database outage is logged, not fatal (the reload itself has happened).
   */
  static void reload(PolicyReloads reloads) {
    try {
      reloads.reload(Actor.system("sighup"));
    } catch (RuntimeException e) {
      log.error("could not write the SIGHUP reload to the audit trail", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
