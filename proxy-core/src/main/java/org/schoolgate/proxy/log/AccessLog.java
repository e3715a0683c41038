package org.schoolgate.proxy.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: event loops {@link #offer} events into a bounded queue and never wait; one
 * writer thread ({@code schoolgate-access-log}) writes them as JSON lines into {@code
 * access-YYYY-MM-DD.jsonl}. A full queue drops the event and counts it ({@value
 * ProxyMetrics#ACCESS_LOG_DROPPED}); the proxy is never stalled by a slow disk.
 *
 * <p>The writer flushes whenever the queue runs empty, so lines reach the file within
 * milliseconds when traffic is light and in large batches when it is heavy.
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

  private final BlockingQueue<Object> queue;
  private final ProxyMetrics metrics;
  private final AccessLogWriter writer;
  private final Thread thread;
  private volatile boolean closed;

  private AccessLog(Path dir, int capacity, ProxyMetrics metrics) throws IOException {
    Files.createDirectories(dir);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.metrics = metrics;
    this.writer = new AccessLogWriter(dir);
    this.thread = new Thread(this::run, "schoolgate-access-log");
    this.thread.setDaemon(true);
  }

  /** Creates {@code dir} if needed and starts the writer thread. */
  public static AccessLog start(Path dir, int capacity, ProxyMetrics metrics) {
    if (capacity < 1) {
      throw new IllegalArgumentException("access log capacity " + capacity + " (expected: >= 1)");
    }
    AccessLog accessLog;
    try {
      accessLog = new AccessLog(dir, capacity, metrics);
    } catch (IOException e) {
      throw new IllegalStateException("access log directory " + dir + " cannot be created: " + e
          + " (expected: a writable directory)", e);
    }
    metrics.bindAccessLogQueue(accessLog.queue::size);
    accessLog.thread.start();
    return accessLog;
  }

  /** Queues {@code event}; drops and counts it when the queue is full. Never blocks. */
  public void offer(AccessEvent event) {
    if (closed || !queue.offer(event)) {
      metrics.accessLogDropped();
    }
  }

  /** Events waiting to be written. */
  public int depth() {
    return queue.size();
  }

  /**
   * Waits until every event offered before this call is written and flushed. For tests and
   * shutdown; never call it on an event loop.
   */
  public void flush(Duration timeout) throws InterruptedException, TimeoutException {
    CountDownLatch done = new CountDownLatch(1);
    if (!queue.offer(done, timeout.toMillis(), TimeUnit.MILLISECONDS)
        || !done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("access log not flushed within " + timeout);
    }
  }

  private void run() {
    try {
      while (true) {
        Object item = queue.poll(1, TimeUnit.SECONDS);
        if (item == STOP) {
          break;
        }
        if (item instanceof AccessEvent event) {
          writer.write(event);
        } else if (item instanceof CountDownLatch latch) {
          writer.flush();
          latch.countDown();
        }
        if (queue.isEmpty()) {
          writer.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("access log writer stopped", e);
    } finally {
      writer.close();
    }
  }

  /** Writes what is queued, flushes, and stops the writer thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
