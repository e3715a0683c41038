package org.schoolgate.proxy.log.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.ExportLoss;
import org.schoolgate.proxy.metrics.ProxyMetrics.LogExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends syslog messages from its own thread ({@code schoolgate-syslog}) through a bounded queue:
 * {@link #offer} never blocks (a full queue drops the message and counts it). UDP sends one
 * datagram per message (cut at {@value #MAX_DATAGRAM} bytes); TCP frames each as {@code LENGTH SP
 * MESSAGE} (RFC 6587 octet counting) and, when the receiver is away, keeps the message in hand and
 * reconnects after 1 s doubling to 30 s while the queue fills, so nothing is lost until the queue
 * is full. A message a broken connection swallowed before the failure showed cannot be known and
 * is not counted; one whose write failed is sent again after reconnecting.
 */
final class SyslogSender implements AutoCloseable {
  static final String THREAD = "schoolgate-syslog";
  static final int MAX_DATAGRAM = 65_000;
  private static final Logger log = LoggerFactory.getLogger(SyslogSender.class);
  private static final byte[] STOP = new byte[0];
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final long FIRST_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final SyslogSettings settings;
  private final ProxyMetrics metrics;
  private final BlockingQueue<byte[]> queue;
  private final Thread thread;
  private volatile boolean closed;
  private DatagramSocket udp;
  private Socket tcp;
  private OutputStream tcpOut;
  private InetSocketAddress udpTarget;
  private long backoffMs = FIRST_BACKOFF_MS;
  private long lastWarning;

  SyslogSender(SyslogSettings settings, ProxyMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(settings.queue());
    this.thread = new Thread(this::run, THREAD);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues {@code message}; drops and counts it when the queue is full or the sender closed. */
  void offer(byte[] message) {
    if (closed || !queue.offer(message)) {
      metrics.exportDropped(LogExport.SYSLOG, ExportLoss.QUEUE_FULL);
    }
  }

  private void run() {
    try {
      while (true) {
        byte[] message = queue.take();
        if (message == STOP) {
          return;
        }
        send(message);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      disconnect();
      for (byte[] left; (left = queue.poll()) != null; ) {
        if (left != STOP) {
          metrics.exportDropped(LogExport.SYSLOG, ExportLoss.FAILED);
        }
      }
    }
  }

  private void send(byte[] message) throws InterruptedException {
    if (settings.transport() == SyslogSettings.Transport.UDP) {
      try {
        if (udp == null) {
          udp = new DatagramSocket();
        }
        if (udpTarget == null) {
          InetSocketAddress to = new InetSocketAddress(settings.host(), settings.port());
          if (to.isUnresolved()) {
            throw new IOException("cannot resolve " + settings.host());
          }
          udpTarget = to;
        }
        udp.send(new DatagramPacket(message, Math.min(message.length, MAX_DATAGRAM), udpTarget));
        metrics.exported(LogExport.SYSLOG);
      } catch (IOException e) {
        failed(e);
        metrics.exportDropped(LogExport.SYSLOG, ExportLoss.FAILED);
      }
      return;
    }
    while (!closed || !queue.isEmpty()) {
      try {
        if (tcp == null) {
          connect();
        }
        tcpOut.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
        tcpOut.write(message);
        tcpOut.flush();
        metrics.exported(LogExport.SYSLOG);
        backoffMs = FIRST_BACKOFF_MS;
        return;
      } catch (IOException e) {
        failed(e);
        disconnect();
        if (closed) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(backoffMs); // the sender's own thread, never an event loop
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
    metrics.exportDropped(LogExport.SYSLOG, ExportLoss.FAILED);
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(settings.host(), settings.port()), (int) CONNECT_TIMEOUT.toMillis());
      s.setKeepAlive(true);
      tcp = s;
      tcpOut = new java.io.BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      log.info("syslog: connected to {}:{} over TCP", settings.host(), settings.port());
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private void failed(IOException e) {
    udpTarget = null;
    long now = System.nanoTime();
    if (lastWarning != 0 && now - lastWarning < 60_000_000_000L) {
      return;
    }
    lastWarning = now;
    log.warn("syslog to {}:{} over {} failed: {} (retrying; lines are counted in {} when lost)", settings.host(),
        settings.port(), settings.transport(), e.toString(), ProxyMetrics.EXPORT_DROPPED);
  }

  private void disconnect() {
    try {
      if (tcp != null) {
        tcp.close();
      }
    } catch (IOException e) {
      log.debug("syslog: close failed: {}", e.toString());
    }
    tcp = null;
    tcpOut = null;
    if (udp != null) {
      udp.close();
      udp = null;
    }
  }

  /** Sends what is queued (for up to 5 s), then stops; what is left is counted as lost. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!queue.offer(STOP)) {
      byte[] dropped = queue.poll();
      if (dropped != null) {
        metrics.exportDropped(LogExport.SYSLOG, ExportLoss.FAILED);
      }
    }
    try {
      thread.join(5_000);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
