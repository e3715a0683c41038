package org.schoolgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.compile.PolicyWithUnblocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the policy in force and swaps it atomically on reload. Readers call {@link #current()}
 * once per request; reloads compile a complete new snapshot first and publish it with one set,
 * so a broken file never replaces a working policy.
 *
 * <p>The snapshot in force is the compiled policy with the approved unblocks applied: the admin
 * side publishes a new {@link UnblockSet} with {@link #setUnblocks} (the next request sees it),
 * and a reload keeps the unblocks. The combined snapshot is built once per change, never per
 * request.
 *
 * <p>{@link #reload()} reads files and compiles lists: call it off the event loops.
 */
public final class PolicyHolder {
  private static final Logger log = LoggerFactory.getLogger(PolicyHolder.class);

  private final Path policyFile;
  private final Clock clock;
  private final AtomicReference<PolicyWithUnblocks> current = new AtomicReference<>();
  private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<PolicySnapshot>> compiledListeners = new CopyOnWriteArrayList<>();
  private final Object reloadLock = new Object();
  /** Guards publishing: the pair (compiled policy, unblocks) changes as one. */
  private final Object publishLock = new Object();

  private PolicyHolder(Path policyFile, Clock clock, CompiledPolicy first) {
    this.policyFile = policyFile;
    this.clock = clock;
    this.current.set(first.withUnblocks(UnblockSet.EMPTY));
  }

  /** Loads {@code policyFile}; fails with every error found if it cannot be compiled. */
  public static PolicyHolder load(Path policyFile, Clock clock) throws PolicyException {
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(clock, "clock");
    return new PolicyHolder(policyFile, clock, PolicyCompiler.compileFile(policyFile, clock));
  }

  /** The policy in force, with the unblocks applied. Never null. */
  public PolicySnapshot current() {
    return current.get();
  }

  /**
   * Puts {@code unblocks} in force in place of the previous set; the next request sees them. Cheap
   * (the policy is not recompiled): call it whenever an unblock is approved, revoked or expires.
   */
  public void setUnblocks(UnblockSet unblocks) {
    Objects.requireNonNull(unblocks, "unblocks");
    synchronized (publishLock) {
      current.set(current.get().compiled().withUnblocks(unblocks));
    }
    log.info("{} unblock(s) in force", unblocks.size());
  }

  /**
   * The compiled policy in force (its configuration as read, the lists it loaded), for reports and
   * the console's evidence; requests read {@link #current()}.
   */
  public org.schoolgate.policy.compile.CompiledPolicy compiled() {
    return current.get().compiled();
  }

  /** The unblocks in force. */
  public UnblockSet unblocks() {
    return current.get().unblocks();
  }

  /**
   * The list entries the policy in force loaded, per category (summed over the category's lists),
   * for reports of what a reload changed. Built per call: never on a request path.
   */
  public Map<CategoryId, Long> listEntries() {
    Map<CategoryId, Long> counts = new TreeMap<>(java.util.Comparator.comparing(CategoryId::value));
    for (CategoryLoad load : current.get().compiled().loads()) {
      counts.merge(load.category(), (long) load.stats().entries(), Long::sum);
    }
    return counts;
  }

  /** The policy file this holder reloads from. */
  public Path policyFile() {
    return policyFile;
  }

  /**
   * Recompiles the policy file and publishes it if it has no errors; otherwise keeps the policy
   * in force and returns the errors. Concurrent calls run one at a time.
   */
  public ReloadResult reload() {
    synchronized (reloadLock) {
      long start = System.nanoTime();
      ReloadResult result;
      try {
        CompiledPolicy compiled = PolicyCompiler.compileFile(policyFile, clock);
        compiled(compiled);
        PolicyWithUnblocks next;
        synchronized (publishLock) {
          next = compiled.withUnblocks(current.get().unblocks());
          current.set(next);
        }
        result = new ReloadResult.Reloaded(next, Duration.ofNanos(System.nanoTime() - start));
        log.info("policy reloaded from {} in {} ms ({} list entries)", policyFile,
            Duration.ofNanos(System.nanoTime() - start).toMillis(), next.entryCount());
      } catch (PolicyException e) {
        result = new ReloadResult.Rejected(e.errors());
        log.warn("policy reload rejected, previous policy stays in force:\n{}", e.getMessage());
      } catch (RuntimeException e) {
        result = new ReloadResult.Rejected(List.of(new PolicyError(policyFile, 0, "",
            "could not compile the policy: " + e)));
        log.error("policy reload failed, previous policy stays in force", e);
      }
      for (Consumer<ReloadResult> listener : listeners) {
        listener.accept(result);
      }
      return result;
    }
  }

  private void compiled(PolicySnapshot next) {
    for (Consumer<PolicySnapshot> listener : compiledListeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.error("a listener failed on the compiled policy; the policy is published all the same", e);
      }
    }
  }

  /**
   * Called on the reload thread with each newly compiled policy just before it is published, so
   * what requests will need for it (e.g. meters for its groups) exists before the first request
   * sees it. A listener that throws is logged; the policy is published all the same.
   */
  public void onCompiled(Consumer<PolicySnapshot> listener) {
    compiledListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Called after every reload attempt, on the thread that reloaded. */
  public void onReload(Consumer<ReloadResult> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }
}
