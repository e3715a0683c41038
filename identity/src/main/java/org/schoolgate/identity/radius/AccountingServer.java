package org.schoolgate.identity.radius;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.Objects;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RADIUS accounting listener: one UDP socket and the one {@code schoolgate-radius} thread that
 * receives, processes and answers each datagram in turn (decoding and an MD5 take microseconds, so
 * one thread carries thousands of packets a second; the binding table's journal writes happen on
 * its own thread). The socket's receive buffer absorbs bursts such as every access point
 * re-sending accounting after a controller restart.
 *
 * <pre>{@code
 * try (AccountingServer radius = AccountingServer.start(settings, table, metrics, clock)) {
 *   // Accounting-Start for 10.0.0.5 / alice → table.find(10.0.0.5, now).user() is "alice"
 * }
 * }</pre>
 */
public final class AccountingServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccountingServer.class);
  private static final int RECEIVE_BUFFER = 4 << 20;
  private static final int MAX_DATAGRAM = 4096;

  private final DatagramSocket socket;
  private final AccountingProcessor processor;
  private final Thread thread;
  private volatile boolean running = true;

  private AccountingServer(DatagramSocket socket, AccountingProcessor processor) {
    this.socket = socket;
    this.processor = processor;
    this.thread = new Thread(this::run, "schoolgate-radius");
    thread.setDaemon(true);
  }

  /** Binds the socket and starts the thread; fails with the address when the port is taken. */
  public static AccountingServer start(RadiusSettings settings, BindingTable table, IdentityMetrics metrics,
      Clock clock) {
    Objects.requireNonNull(settings, "settings");
    DatagramSocket socket;
    try {
      socket = new DatagramSocket(null);
      socket.setReceiveBufferSize(RECEIVE_BUFFER);
      socket.bind(settings.listen());
    } catch (SocketException e) {
      throw new UncheckedIOException("radius.listen " + settings.listen() + ": cannot listen for accounting: "
          + e.getMessage() + " (expected: a free UDP port such as 1813, and the right to bind it)", e);
    }
    AccountingServer server = new AccountingServer(socket,
        new AccountingProcessor(settings, table, metrics, clock));
    server.thread.start();
    log.info("RADIUS accounting on udp {} from {} NAS entr{}", server.address(), settings.clients().size(),
        settings.clients().size() == 1 ? "y" : "ies");
    return server;
  }

  private void run() {
    byte[] buffer = new byte[MAX_DATAGRAM];
    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
    while (running) {
      try {
        in.setLength(buffer.length);
        socket.receive(in);
        byte[] answer = processor.process(buffer, in.getLength(), in.getAddress());
        if (answer != null) {
          socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
        }
      } catch (IOException e) {
        if (running) {
          log.warn("RADIUS accounting: {}", e.getMessage());
        }
      } catch (RuntimeException e) {
        log.error("RADIUS accounting: a datagram from {} failed", in.getAddress(), e);
      }
    }
  }

  /** The bound address (its real port when configured with port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Stops receiving and closes the socket. */
  @Override
  public void close() {
    running = false;
    socket.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
