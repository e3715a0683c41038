package org.schoolgate.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written HTTP/1.1 client for talking to the proxy over one socket, bound to a chosen
 * loopback source address (so the policy sees a pupil, staff member or stranger).
 */
public final class ProxyClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private ProxyClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code proxy} from {@code sourceIp} (e.g. 127.0.0.2). */
  public static ProxyClient connect(InetSocketAddress proxy, String sourceIp) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(sourceIp, 0));
    socket.connect(proxy, 5_000);
    socket.setSoTimeout(20_000);
    return new ProxyClient(socket);
  }

  /** An HTTP response as read off the wire. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** GET {@code url} in absolute form, keep-alive. */
  public Response get(String url) throws IOException {
    String host = url.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    return send("GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: test\r\n\r\n",
        false);
  }

  /** CONNECT {@code hostPort}; reads only the response head (and a body for non-2xx). */
  public Response connectTunnel(String hostPort) throws IOException {
    return send("CONNECT " + hostPort + " HTTP/1.1\r\nHost: " + hostPort + "\r\n\r\n", true);
  }

  /** Writes {@code raw} and reads only the response head; the body stays in {@link #in()}. */
  public Response sendAndReadHead(String raw) throws IOException {
    return send(raw, true);
  }

  /** Writes {@code raw} as is and reads one response. */
  public Response send(String raw, boolean connect) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readResponse(connect);
  }

  /** Reads the next response (pipelined requests: one call per request sent). */
  public Response read() throws IOException {
    return readResponse(false);
  }

  /** The socket itself, e.g. to start TLS over an established tunnel. */
  public Socket socket() {
    return socket;
  }

  public InputStream in() {
    return in;
  }

  public OutputStream out() {
    return out;
  }

  /** True when the proxy has closed the connection (reads end of stream). */
  public boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private Response readResponse(boolean connect) throws IOException {
    HttpWire.Head head = HttpWire.readHead(in);
    if (connect && head.status() / 100 == 2) {
      return new Response(head.status(), head.headers(), new byte[0]);
    }
    return new Response(head.status(), head.headers(), HttpWire.readBody(in, head));
  }

  /** Reads a CRLF-terminated line (ISO-8859-1). */
  public String readLine() throws IOException {
    return HttpWire.readLine(in);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
