package org.schoolgate.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.admin.AdminApi.Reply;

/**
 * One HTTP/1.0 request from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...), so a
 * test can be several clients on one machine: the admin API sees each as its own TCP peer.
 */
final class LoopbackClient {
  private final int port;
  private final String from;

  LoopbackClient(int port, String from) {
    this.port = port;
    this.from = from;
  }

  Reply post(String path, String json, String... headers) {
    return send("POST", path, json, headers);
  }

  Reply get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** {@code headers}: name, value, name, value, ... */
  Reply send(String method, String path, String json, String... headers) {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("request from " + from + " to " + method + " " + path + " failed", e);
    }
  }

  private static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    return new Reply(status, headers, text.substring(end + 4));
  }
}
