package org.schoolgate.deploy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
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
  static SighupReloader install(PolicyHolder holder, AuditTrail audit) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(1), r -> {
          Thread t = new Thread(r, "schoolgate-reload");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        log.info("SIGHUP received: reloading the policy from {}", holder.policyFile());
        executor.execute(() -> audit(audit, holder.reload()));
      });
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available on this platform; reload through the admin API instead");
    }
    return new SighupReloader(executor);
  }

  /** Records a SIGHUP reload in the audit trail (actor {@code system:sighup}); a database outage is logged, not fatal. */
  static void audit(AuditTrail audit, ReloadResult result) {
    try {
      if (result instanceof ReloadResult.Reloaded r) {
        audit.append(new AuditEntry("policy.reloaded", Actor.system("sighup"), "policy",
            "SIGHUP", null, r.snapshot().source() + " (" + r.snapshot().entryCount() + " list entries)"));
      } else if (result instanceof ReloadResult.Rejected r) {
        audit.append(new AuditEntry("policy.reload_rejected", Actor.system("sighup"), "policy",
            "SIGHUP", null, r.errors().stream().map(Object::toString).collect(Collectors.joining("\n"))));
      }
    } catch (RuntimeException e) {
      log.error("could not write the SIGHUP reload to the audit trail", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
