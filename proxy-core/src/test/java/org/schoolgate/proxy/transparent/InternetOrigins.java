package org.schoolgate.proxy.transparent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.schoolgate.proxy.testing.TestCa;

/**
 * The "internet" of {@link TransparentNetnsTest}, run as its own JVM in the origin namespace: on
 * every address given (IPv4 and IPv6), plain HTTP on port 80, HTTPS on 443 (a certificate for
 * the test's names, {@link #NAMES}, from a CA written to {@code args[0]} as PEM) and UDP
 * listeners on 443 and 4433. Every answer says which address answered and the Host it was asked
 * for ({@code origin <address> host <host>}); every datagram is printed as {@code udp <port>
 * <text>}. Prints {@code ready} once bound; stops when stdin closes.
 */
public final class InternetOrigins {
  /** The names the HTTPS certificate is for. */
  static final String[] NAMES = {"allowed.test", "blocked.test", "allowed6.test", "blocked6.test",
      "shop.test", "shop6.test"};

  private InternetOrigins() {}

  public static void main(String[] args) throws Exception {
    Path caPem = Path.of(args[0]);
    TestCa ca = new TestCa("Transparent Test Internet CA");
    TestCa.Issued leaf = ca.issue(NAMES);
    Files.writeString(caPem, pem(ca.certificate()));
    HttpHandler answer = InternetOrigins::answer;
    SSLContext tls = tls(leaf);
    for (int i = 1; i < args.length; i++) {
      HttpServer http = HttpServer.create(new InetSocketAddress(args[i], 80), 16);
      http.createContext("/", answer);
      http.start();
      HttpsServer https = HttpsServer.create(new InetSocketAddress(args[i], 443), 16);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      https.createContext("/", answer);
      https.start();
      for (int port : new int[] {443, 4433}) {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(args[i], port));
        Thread t = new Thread(() -> receive(udp, port), "udp-" + port);
        t.setDaemon(true);
        t.start();
      }
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our input (or kills us)
    }
    System.exit(0);
  }

  private static void answer(HttpExchange exchange) throws java.io.IOException {
    byte[] body = ("origin " + exchange.getLocalAddress().getAddress().getHostAddress() + " host "
        + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void receive(DatagramSocket socket, int port) {
    byte[] buf = new byte[1500];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (java.io.IOException e) {
        return;
      }
      System.out.println("udp " + port + " "
          + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).strip());
      System.out.flush();
    }
  }

  private static SSLContext tls(TestCa.Issued leaf) throws Exception {
    char[] pw = "origin".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("origin", leaf.key(), pw, new X509Certificate[] {leaf.certificate(), leaf.issuer()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
