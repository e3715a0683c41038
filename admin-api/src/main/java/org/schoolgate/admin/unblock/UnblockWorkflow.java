package org.schoolgate.admin.unblock;

import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.UnblockEvent;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unblock workflow: requests, approvals and their rules, and publishing what is in force to
 * the engine.
 *
 * <p>Rules, checked here (the store only enforces the state machine):
 * <ul>
 *   <li>Nothing in, or listed in, an illegal category can be requested or approved: 422
 *       {@code illegal_category}. Checked again at approval, since the policy may have changed.
 *   <li>Teachers, technicians, DSLs and senior leaders may ask; a filter bypass (target
 *       {@code everything}) only technicians, DSLs and senior leaders.
 *   <li>Four eyes: nobody approves or denies their own request (403 {@code own_request}).
 *       Ordinary requests: technician, dsl or senior-leader; sensitive ones (a category flagged
 *       {@code sensitive}, when asked or by the time of the decision): dsl or senior-leader; a
 *       filter bypass: senior-leader only.
 *   <li>Only the requester cancels a pending request; technicians, DSLs and senior leaders revoke.
 * </ul>
 *
 * <p>Publishing: after every approval and revocation the approved unblocks in force are compiled
 * into an {@link UnblockSet} and handed to {@link PolicyHolder#setUnblocks} before the call
 * returns. A ticker on the daemon thread {@value #THREAD_NAME} runs {@link #tick()} every
 * {@code unblockTick}: it expires unblocks whose time is up and republishes when something expired
 * or {@link UnblockStore#version()} moved (another node changed something). A policy reload
 * republishes too. Approving a filter bypass raises a {@code filter-bypass} alert for the DSL: the
 * store writes it in the approval's transaction ({@link org.schoolgate.store.AlertStore}), and the
 * DSL reads it at {@code GET /api/v1/alerts}; a WARN log line says so too.
 */
public final class UnblockWorkflow implements AutoCloseable {
  /** The ticker thread's name. */
  public static final String THREAD_NAME = "schoolgate-unblocks";
  private static final Logger log = LoggerFactory.getLogger(UnblockWorkflow.class);

  private final Store store;
  private final AdminMetrics metrics;
  private final PolicyHolder holder;
  private final Clock clock;
  private final Duration tick;
  private final UnblockRequestReader reader;
  private final Object publishLock = new Object();
  private volatile long publishedVersion = Long.MIN_VALUE;
  private volatile boolean closed;
  private ScheduledExecutorService ticker;

  public UnblockWorkflow(Store store, PolicyHolder holder, Clock clock, Duration maxUnblock, Duration tick,
      AdminMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tick = Objects.requireNonNull(tick, "tick");
    this.reader = new UnblockRequestReader(Objects.requireNonNull(maxUnblock, "maxUnblock"));
  }

  /** Publishes what is in force now, republishes after policy reloads and starts the ticker. */
  public synchronized void start() {
    if (ticker != null) {
      throw new IllegalStateException("the unblock workflow is already started");
    }
    try {
      publish();
    } catch (RuntimeException e) {
      log.error("could not load the unblocks in force; will retry every {} ms", tick.toMillis(), e);
    }
    holder.onReload(this::afterReload);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD_NAME);
      t.setDaemon(true);
      return t;
    });
    long millis = Math.max(1, tick.toMillis());
    ticker.scheduleWithFixedDelay(this::tickSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Stores a new PENDING request from {@code caller}. */
  public UnblockRecord request(JsonBody body, Caller caller) {
    PolicySnapshot snapshot = holder.current();
    UnblockRequestReader.Request r = reader.read(body, snapshot, clock.instant());
    boolean bypass = r.target() instanceof UnblockTarget.Everything;
    if (bypass && !(caller.has(Role.TECHNICIAN) || caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER))) {
      throw ApiException.forbidden("forbidden",
          "a filter bypass (target everything) can be requested by: technician, dsl, senior-leader");
    }
    TargetAssessment assessment = refuseIllegal(r.target(), snapshot);
    NewUnblock request = new NewUnblock(r.target(), r.scope(), r.from(), r.until(), r.reason(),
        assessment.sensitive(), assessment.categoryNames(), r.fromApproval());
    UnblockRecord stored = store.unblocks().request(request, caller.actor());
    metrics.unblock(UnblockEvent.REQUESTED);
    return stored;
  }

  public UnblockRecord approve(UnblockId id, Caller caller, String note) {
    UnblockRecord record = find(id);
    checkNotOwn(record, caller, "approve");
    TargetAssessment now = refuseIllegal(record.request().target(), holder.current());
    checkDecider(record, now, caller, "approve");
    UnblockRecord approved = store.unblocks().approve(id, caller.actor(), note);
    metrics.unblock(UnblockEvent.APPROVED);
    if (approved.request().bypass()) {
      // the store raised the DSL's alert in the approval's own transaction; this line is for the log only
      log.warn("filter bypass {} approved by {} for {} until {} (requested by {}): alert raised for the DSL"
          + " (GET /api/v1/alerts)", id, caller.account().username(), approved.request().scope(),
          approved.request().until(), approved.requestedBy());
    }
    publishAfterChange(id);
    return approved;
  }

  public UnblockRecord deny(UnblockId id, Caller caller, String note) {
    UnblockRecord record = find(id);
    checkNotOwn(record, caller, "deny");
    checkDecider(record, TargetAssessment.of(record.request().target(), holder.current()), caller, "deny");
    UnblockRecord denied = store.unblocks().deny(id, caller.actor(), note);
    metrics.unblock(UnblockEvent.DENIED);
    return denied;
  }

  public UnblockRecord cancel(UnblockId id, Caller caller, String note) {
    UnblockRecord record = find(id);
    if (!record.requestedById().equals(caller.account().id())) {
      throw ApiException.forbidden("not_requester", "only " + record.requestedBy()
          + ", who asked for unblock " + id + ", can cancel it; an approver can deny it instead");
    }
    UnblockRecord cancelled = store.unblocks().cancel(id, caller.actor(), note);
    metrics.unblock(UnblockEvent.CANCELLED);
    return cancelled;
  }

  public UnblockRecord revoke(UnblockId id, Caller caller, String note) {
    find(id);
    UnblockRecord revoked = store.unblocks().revoke(id, caller.actor(), note);
    metrics.unblock(UnblockEvent.REVOKED);
    publishAfterChange(id);
    return revoked;
  }

  /** One request, if {@code caller} may see it: approvers see all, others their own. */
  public UnblockRecord get(UnblockId id, Caller caller) {
    UnblockRecord record = find(id);
    if (!isApprover(caller) && !record.requestedById().equals(caller.account().id())) {
      throw ApiException.forbidden("not_yours", "unblock " + id + " was requested by someone else;"
          + " you can see your own requests (GET /api/v1/unblocks)");
    }
    return record;
  }

  /** Newest first: approvers see every request, others their own. */
  public List<UnblockRecord> list(Caller caller, UnblockStatus status) {
    return store.unblocks().list(new UnblockStore.Query(status,
        isApprover(caller) ? null : caller.account().id(), 1000));
  }

  /**
   * Expires what is due and republishes when anything changed here or on another node. The
   * ticker calls this; tests call it directly.
   */
  public void tick() {
    List<UnblockRecord> expired = store.unblocks().expireDue(clock.instant());
    metrics.unblocks(UnblockEvent.EXPIRED, expired.size());
    for (UnblockRecord r : expired) {
      log.info("unblock {} ({}) expired", r.id(), r.request().target().text());
    }
    if (!expired.isEmpty() || store.unblocks().version() != publishedVersion) {
      publish();
    }
  }

  /** Compiles the unblocks in force and hands them to the engine at once. */
  public void publish() {
    synchronized (publishLock) {
      long version = store.unblocks().version();
      List<Unblock> inForce = store.unblocks().inForce(clock.instant()).stream()
          .map(UnblockRecord::toUnblock).toList();
      holder.setUnblocks(compile(inForce));
      publishedVersion = version;
    }
  }

  /** Stops the ticker. */
  @Override
  public synchronized void close() {
    closed = true;
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }

  /**
   * The change is stored; if publishing fails now (the database went away between the two),
   * the caller still gets the stored result and the ticker publishes on its next run.
   */
  private void publishAfterChange(UnblockId id) {
    try {
      publish();
    } catch (RuntimeException e) {
      publishedVersion = Long.MIN_VALUE;
      log.warn("unblock {} changed but could not be published yet; the ticker will retry: {}", id, e.toString());
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("unblock tick failed; retrying in {} ms: {}", tick.toMillis(), e.toString());
    }
  }

  private void afterReload(ReloadResult result) {
    if (closed || !(result instanceof ReloadResult.Reloaded)) {
      return;
    }
    try {
      publish();
    } catch (RuntimeException e) {
      log.warn("could not republish unblocks after the policy reload; the ticker will retry: {}", e.toString());
      publishedVersion = Long.MIN_VALUE;
    }
  }

  /** One bad record (say, a subnet the engine refuses) must not keep every other unblock out. */
  private static UnblockSet compile(List<Unblock> unblocks) {
    try {
      return UnblockSet.compile(unblocks);
    } catch (IllegalArgumentException whole) {
      List<Unblock> usable = new ArrayList<>();
      for (Unblock u : unblocks) {
        try {
          UnblockSet.compile(List.of(u));
          usable.add(u);
        } catch (IllegalArgumentException e) {
          log.error("unblock {} cannot be applied and is left out: {}", u.id(), e.getMessage());
        }
      }
      return UnblockSet.compile(usable);
    }
  }

  private UnblockRecord find(UnblockId id) {
    return store.unblocks().get(id).orElseThrow(() -> ApiException.notFound(
        "there is no unblock request " + id + " (GET /api/v1/unblocks lists them)"));
  }

  private static boolean isApprover(Caller caller) {
    return caller.has(Role.TECHNICIAN) || caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
  }

  private static void checkNotOwn(UnblockRecord record, Caller caller, String verb) {
    if (record.requestedById().equals(caller.account().id())) {
      throw ApiException.forbidden("own_request", "you asked for unblock " + record.id()
          + ", so someone else must " + verb + " it (four eyes)");
    }
  }

  /**
   * Sensitive means sensitive when asked or now: a category flagged since the request still
   * needs a dsl or senior-leader.
   */
  private static void checkDecider(UnblockRecord record, TargetAssessment now, Caller caller, String verb) {
    boolean sensitiveThen = record.request().sensitive();
    if (record.request().bypass()) {
      if (!caller.has(Role.SENIOR_LEADER)) {
        throw ApiException.forbidden("forbidden", "unblock " + record.id()
            + " is a filter bypass: only a senior-leader can " + verb + " it");
      }
    } else if (sensitiveThen || now.sensitive()) {
      if (!caller.has(Role.DSL) && !caller.has(Role.SENIOR_LEADER)) {
        String categories = sensitiveThen ? record.request().categories() : now.categoryNames();
        throw ApiException.forbidden("forbidden", "unblock " + record.id()
            + " touches a sensitive category (" + categories + "): only a dsl or senior-leader can " + verb + " it");
      }
    } else if (!isApprover(caller)) {
      throw ApiException.forbidden("forbidden", "to " + verb + " unblock " + record.id()
          + " needs one of: technician, dsl, senior-leader");
    }
  }

  private TargetAssessment refuseIllegal(UnblockTarget target, PolicySnapshot snapshot) {
    TargetAssessment a = TargetAssessment.of(target, snapshot);
    if (a.isIllegal()) {
      metrics.unblock(UnblockEvent.REFUSED_ILLEGAL);
      String names = a.illegal().stream().map(CategoryId::value).collect(Collectors.joining(", "));
      String what = target instanceof UnblockTarget.Category
          ? "category '" + names + "' is illegal"
          : "'" + target.text().substring(target.text().indexOf(':') + 1)
              + "' is listed in the illegal category '" + names + "'";
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "illegal_category",
          what + ": it can never be unblocked, for anyone, by anyone", "target");
    }
    return a;
  }
}
