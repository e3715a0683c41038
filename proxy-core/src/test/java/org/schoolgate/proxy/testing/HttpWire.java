package org.schoolgate.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reading an HTTP/1.1 response off a stream, shared by the plain ({@link ProxyClient}) and the
 * TLS ({@link TlsTunnel}) test clients: the head, then a body by chunks, length or end of stream.
 */
final class HttpWire {
  private HttpWire() {}

  /** A response's status and headers (names in lower case). */
  record Head(int status, Map<String, String> headers) {}

  /** Reads the status line and the headers, up to the empty line. */
  static Head readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new Head(status, headers);
  }

  /** Reads the body that follows {@code head}: chunked, by content-length, or to end of stream. */
  static byte[] readBody(InputStream in, Head head) throws IOException {
    Map<String, String> headers = head.headers();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return readChunked(in);
    }
    if (headers.containsKey("content-length")) {
      return in.readNBytes(Integer.parseInt(headers.get("content-length")));
    }
    return in.readAllBytes();
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  /** Reads a CRLF-terminated line (ISO-8859-1). */
  static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c == -1) {
        throw new EOFException("connection closed after '" + sb + "'");
      }
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) c);
    }
  }
}
