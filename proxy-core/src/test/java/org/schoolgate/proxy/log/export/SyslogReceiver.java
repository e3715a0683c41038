package org.schoolgate.proxy.log.export;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A syslog receiver on loopback for tests: UDP (one message per datagram, RFC 5426) or TCP with
 * octet counting (RFC 6587: {@code LENGTH SP MESSAGE}, a frame that breaks the rule fails the
 * receiver). Messages are kept in arrival order.
 */
final class SyslogReceiver implements AutoCloseable {
  final List<String> messages = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private SyslogReceiver(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    this.thread = new Thread(udp != null ? this::receiveUdp : this::acceptTcp, "test-syslog-receiver");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  static SyslogReceiver udp() throws IOException {
    return new SyslogReceiver(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), null);
  }

  /** TCP on {@code port} (0: any free port). */
  static SyslogReceiver tcp(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return new SyslogReceiver(null, s);
  }

  int port() {
    return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
  }

  private void receiveUdp() {
    byte[] buf = new byte[65_535];
    while (!udp.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
        messages.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void acceptTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        Thread t = new Thread(() -> readFrames(s), "test-syslog-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void readFrames(Socket s) {
    try (InputStream in = new BufferedInputStream(s.getInputStream())) {
      while (true) {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) >= '0' && c <= '9') {
          length = length * 10 + (c - '0');
          digits++;
        }
        if (c == -1 && digits == 0) {
          return;
        }
        if (c != ' ' || digits == 0 || length == 0) {
          errors.add("bad frame header (octet counting expected), read " + c + " after " + digits + " digits");
          return;
        }
        byte[] msg = in.readNBytes(length);
        if (msg.length != length) {
          errors.add("frame cut short: " + msg.length + " of " + length + " bytes");
          return;
        }
        messages.add(new String(msg, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  /** Drops every open connection (as a restarting receiver would) and keeps listening. */
  void disconnectAll() throws IOException {
    for (Socket s : connections) {
      s.close();
    }
    connections.clear();
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      tcp.close();
    }
    for (Socket s : connections) {
      s.close();
    }
  }
}
