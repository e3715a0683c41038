package org.schoolgate.proxy.log;

import org.schoolgate.policy.accesslog.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: event loops {@link #offer} events into a bounded queue and never wait; one
 * writer thread ({@code schoolgate-access-log}) writes them as JSON lines into {@code
 * access-YYYY-MM-DD.jsonl} (directory {@code rwx------}, files {@code rw-------}). Every event
 * offered is written or counted ({@value ProxyMetrics#ACCESS_LOG_DROPPED} by cause: a full queue,
 * a failed write, an event that cannot be encoded, an offer after close); the proxy is never
 * stalled by a slow or full disk. Lines are written whole: a write the disk cuts short is undone
 * and its lines counted as lost, so a cut line never merges with the next. A failed write begins
 * an {@link AccessLogOutage} ({@link #status()}, {@value ProxyMetrics#ACCESS_LOG_FAILING}, the
 * sink's {@link AccessEventSink#accessLogFailing}), the next write that works ends it.
 *
 * <p>The writer flushes whenever the queue runs empty, then naps for {@value #NAP_MICROS} µs
 * before it goes to sleep; only a sleeping writer is woken by {@link #offer}. So lines reach the
 * file within milliseconds when traffic is light, and under load the event loops never pay for
 * waking the writer (a futex call per event): it collects what arrived during each nap and
 * writes it in one batch. The nap is 10 ms: at a thousand new tunnels a second a 2 ms nap still
 * wrote (and woke the alert engine for) one or two lines per batch, and the writer's naps,
 * writes and hand-offs cost an eighth as much CPU again as the event loop's tunnels. The queue is
 * lock-free, so loops never wait for each other either.
 *
 * <pre>{@code
 * AccessLog log = AccessLog.start(Path.of("/var/log/schoolgate"), 65_536, metrics);
 * log.offer(event);   // from an event loop: never blocks
 * log.close();        // drains, flushes, stops the writer
 * }</pre>
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  private static final Object STOP = new Object();
  /** How long the writer waits for more events after the queue ran empty. */
  static final long NAP_MICROS = 10_000;

  /** Events, flush latches and the stop marker, oldest first. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  /** Events in the queue (latches and the stop marker are not counted). */
  private final AtomicInteger depth = new AtomicInteger();
  private final int capacity;
  private final Outages outages;
  private final AccessLogWriter writer;
  private final AccessEventSink sink;
  private final Thread thread;
  private volatile boolean sleeping;
  private volatile boolean closed;

  private AccessLog(Path dir, int capacity, ProxyMetrics metrics, AccessEventSink sink, Clock clock)
      throws IOException {
    OwnerOnly.directory(dir);
    this.capacity = capacity;
    this.sink = sink;
    this.outages = new Outages(dir, clock, metrics, sink);
    this.writer = new AccessLogWriter(dir, outages);
    this.thread = new Thread(this::run, "schoolgate-access-log");
    this.thread.setDaemon(true);
  }

  /** Creates {@code dir} if needed (owner-only) and starts the writer thread. */
  public static AccessLog start(Path dir, int capacity, ProxyMetrics metrics) {
    return start(dir, capacity, metrics, AccessEventSink.NONE);
  }

  /**
   * Like {@link #start(Path, int, ProxyMetrics)}, and hands every event to {@code sink} on the
   * writer thread after writing it (see {@link AccessEventSink}: it must not block).
   */
  public static AccessLog start(Path dir, int capacity, ProxyMetrics metrics, AccessEventSink sink) {
    return start(dir, capacity, metrics, sink, Clock.systemUTC());
  }

  /** Like {@link #start(Path, int, ProxyMetrics, AccessEventSink)}; {@code clock} times outages. */
  public static AccessLog start(Path dir, int capacity, ProxyMetrics metrics, AccessEventSink sink, Clock clock) {
    java.util.Objects.requireNonNull(sink, "sink");
    java.util.Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("access log capacity " + capacity + " (expected: >= 1)");
    }
    AccessLog accessLog;
    try {
      accessLog = new AccessLog(dir, capacity, metrics, sink, clock);
    } catch (IOException e) {
      throw new IllegalStateException("access log directory " + dir + " cannot be created: " + e
          + " (expected: a writable directory)", e);
    }
    metrics.bindAccessLogQueue(accessLog.depth::get);
    accessLog.thread.start();
    return accessLog;
  }

  /**
   * Creates the access-log directory as {@link #start} does ({@code rwx------}, parents too), for
   * readers that need it before the log starts (the alert checkpoint); warns when an existing one
   * is open to every user.
   */
  public static void createDirectory(Path dir) throws IOException {
    OwnerOnly.directory(dir);
  }

  /** Queues {@code event}; drops and counts it when the queue is full. Never blocks. */
  public void offer(AccessEvent event) {
    enqueue(event);
  }

  /**
   * Queues a DNS query's event (the filtering resolver's), written as a {@code "event":"dns"}
   * line into the same daily file; drops and counts it when the queue is full. Never blocks.
   */
  public void offer(DnsEvent event) {
    enqueue(event);
  }

  private void enqueue(Object event) {
    if (closed) {
      outages.dropped(AccessLogDrop.CLOSED, 1);
      return;
    }
    if (depth.incrementAndGet() > capacity) {
      depth.decrementAndGet();
      outages.dropped(AccessLogDrop.QUEUE_FULL, 1);
      return;
    }
    queue.add(event);
    if (sleeping) { // read after the add: a writer going to sleep sees the event, or is woken
      LockSupport.unpark(thread);
    }
  }

  /** Events waiting to be written. */
  public int depth() {
    return depth.get();
  }

  /** Whether the log is being written (the outage in progress, if any) and what was lost, by cause. */
  public AccessLogStatus status() {
    return outages.status();
  }

  /**
   * Waits until every event offered before this call is written and flushed. For tests and
   * shutdown; never call it on an event loop.
   */
  public void flush(Duration timeout) throws InterruptedException, TimeoutException {
    CountDownLatch done = new CountDownLatch(1);
    queue.add(done);
    LockSupport.unpark(thread);
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("access log not flushed within " + timeout);
    }
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Object item = queue.poll();
        if (item == STOP) {
          break;
        }
        try {
          handle(item);
        } catch (RuntimeException e) {
          // the writer counts its own failures; this is a bug, and the writer keeps going
          log.error("access log writer failed on {}", item, e);
        }
      }
    } finally {
      writer.close();
      flushSink();
    }
  }

  private void flushSink() {
    try {
      sink.flush();
    } catch (RuntimeException e) {
      log.warn("access event sink failed to flush: {}", e.toString());
    }
  }

  private void handle(Object item) {
    if (item == null) {
      writer.flush();
      flushSink();
      idle();
    } else if (item instanceof AccessEvent event) {
      depth.decrementAndGet();
      writer.write(event);
      notifySink(event);
    } else if (item instanceof DnsEvent event) {
      depth.decrementAndGet();
      writer.write(event);
      notifySink(event);
    } else if (item instanceof CountDownLatch latch) {
      try {
        writer.flush();
        flushSink();
      } finally {
        latch.countDown();
      }
    }
  }

  private void notifySink(AccessEvent event) {
    try {
      sink.accept(event);
    } catch (RuntimeException e) {
      log.warn("access event sink failed: {}", e.toString());
    }
  }

  private void notifySink(DnsEvent event) {
    try {
      sink.acceptDns(event);
    } catch (RuntimeException e) {
      log.warn("access event sink failed on a DNS event: {}", e.toString());
    }
  }

  /** Naps, then, if still nothing arrived, sleeps until an offer (or flush, close) wakes it. */
  private void idle() {
    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(NAP_MICROS));
    if (!queue.isEmpty()) {
      return;
    }
    sleeping = true;
    try {
      while (queue.isEmpty() && !Thread.currentThread().isInterrupted()) {
        LockSupport.park(this); // checked after publishing 'sleeping': no lost wake-up
      }
    } finally {
      sleeping = false;
    }
  }

  /** Writes what is queued, flushes, and stops the writer thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
