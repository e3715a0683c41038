package org.schoolgate.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
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
    HttpWire.Head head = HttpWire.readHead(in);
    byte[] body = withBody ? HttpWire.readBody(in, head) : new byte[0];
    return new ProxyClient.Response(head.status(), head.headers(), body);
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
