package org.schoolgate.proxy.destination;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny HTTP origin run as its own JVM inside a network namespace (the "school server" of
 * {@link DestinationRulesNetnsTest}): answers every request on {@code 0.0.0.0:<port>} with
 * {@code intranet <the address the request came in on>}, prints {@code ready} once bound, and
 * stops when its standard input closes.
 */
public final class NamespaceOrigin {
  private NamespaceOrigin() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0",
        Integer.parseInt(args[0])), 16);
    server.createContext("/", exchange -> {
      byte[] body = ("intranet " + exchange.getLocalAddress().getAddress().getHostAddress())
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our input (or kills us)
    }
    server.stop(0);
  }
}
