package org.schoolgate.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A browser-like HTTPS client through the proxy: CONNECT from a chosen source address, then TLS
 * over the tunnel with SNI and the HTTPS name check for the host, trusting only what the test
 * says (the school CA, or an origin's CA), then HTTP/1.1 requests on that one connection.
 */
public final class TlsTunnel implements AutoCloseable {
  private final ProxyClient proxy;
  private final SSLSocket tls;
  private final String host;
  private final InputStream in;
  private final OutputStream out;

  private TlsTunnel(ProxyClient proxy, SSLSocket tls, String host) throws IOException {
    this.proxy = proxy;
    this.tls = tls;
    this.host = host;
    this.in = tls.getInputStream();
    this.out = tls.getOutputStream();
  }

  /**
   * Opens a tunnel to {@code host:port} from {@code sourceIp} and completes TLS trusting
   * {@code trust}. Throws when the CONNECT is refused or the handshake or name check fails.
   */
  public static TlsTunnel open(ProxyExtension proxy, String sourceIp, String host, int port,
      SSLContext trust) throws IOException {
    return open(proxy, sourceIp, host, host, port, trust);
  }

  /** As {@link #open(ProxyExtension, String, String, int, SSLContext)}, CONNECT to one host and TLS to another. */
  public static TlsTunnel open(ProxyExtension proxy, String sourceIp, String connectHost,
      String host, int port, SSLContext trust) throws IOException {
    ProxyClient client = proxy.client(sourceIp);
    try {
      ProxyClient.Response connect = client.connectTunnel(connectHost + ":" + port);
      if (connect.status() != 200) {
        throw new IOException("CONNECT " + host + " answered " + connect.status() + ": " + connect.text());
      }
      client.socket().setSoTimeout(20_000);
      SSLSocket tls = (SSLSocket) trust.getSocketFactory()
          .createSocket(client.socket(), host, port, true);
      SSLParameters params = tls.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(host)));
      params.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(params);
      tls.startHandshake();
      return new TlsTunnel(client, tls, host);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The certificate the other end presented (ours when intercepted, the origin's otherwise). */
  public X509Certificate peerCertificate() throws IOException {
    return (X509Certificate) tls.getSession().getPeerCertificates()[0];
  }

  /** GET {@code pathAndQuery} on this connection (keep-alive) and read the whole response. */
  public ProxyClient.Response get(String pathAndQuery) throws IOException {
    return request("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: test\r\n\r\n");
  }

  /** Writes {@code raw} and reads one response (the body only when {@code withBody}). */
  public ProxyClient.Response request(String raw) throws IOException {
    write(raw.getBytes(StandardCharsets.ISO_8859_1));
    return readResponse(true);
  }

  /** Writes {@code raw} and reads only the response head. */
  public ProxyClient.Response requestHead(String raw) throws IOException {
    write(raw.getBytes(StandardCharsets.ISO_8859_1));
    return readResponse(false);
  }

  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public byte[] readExactly(int n) throws IOException {
    return in.readNBytes(n);
  }

  private ProxyClient.Response readResponse(boolean withBody) throws IOException {
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    if (!withBody) {
      return new ProxyClient.Response(status, headers, new byte[0]);
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        b.write(in.readNBytes(size));
        readLine();
      }
      body = b.toByteArray();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new ProxyClient.Response(status, headers, body);
  }

  private String readLine() throws IOException {
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

  @Override
  public void close() throws IOException {
    try {
      tls.close();
    } finally {
      proxy.close();
    }
  }
}
