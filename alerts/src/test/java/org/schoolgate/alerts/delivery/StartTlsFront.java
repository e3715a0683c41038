package org.schoolgate.alerts.delivery;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A STARTTLS front for GreenMail's plain SMTP server (GreenMail itself offers no STARTTLS): on
 * loopback it greets, offers only STARTTLS, upgrades the connection to TLS with GreenMail's test
 * certificate, then relays the client's encrypted session to GreenMail in clear. A client that
 * skips STARTTLS gets nowhere. Counts the upgraded sessions.
 */
final class StartTlsFront implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final SSLContext tls;
  private final AtomicInteger upgraded = new AtomicInteger();
  private final Thread acceptor;

  StartTlsFront(int upstreamPort) throws Exception {
    this.upstreamPort = upstreamPort;
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(new DummySSLServerSocketFactory().getKeyStore(), "changeit".toCharArray());
    this.tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "starttls-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int upgradedSessions() {
    return upgraded.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "starttls-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      write(out, "220 starttls-front ESMTP\r\n");
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
        if (verb.equals("EHLO")) {
          write(out, "250-starttls-front\r\n250 STARTTLS\r\n");
        } else if (line.equalsIgnoreCase("STARTTLS")) {
          write(out, "220 2.0.0 ready to start TLS\r\n");
          break;
        } else if (verb.equals("QUIT")) {
          write(out, "221 bye\r\n");
          return;
        } else {
          write(out, "530 5.7.0 must issue a STARTTLS command first\r\n");
        }
      }
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
      secure.setUseClientMode(false);
      secure.startHandshake();
      upgraded.incrementAndGet();
      try (secure; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        readLine(upstream.getInputStream()); // GreenMail's greeting: the client already had ours
        Thread back = new Thread(() -> pipe(upstream, secure), "starttls-back");
        back.setDaemon(true);
        back.start();
        pipe(secure, upstream);
        back.join(5000);
      }
    } catch (IOException | InterruptedException e) {
      // the client or GreenMail hung up
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).replaceAll("\r$", "");
      }
      line.write(b);
    }
    return null;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
