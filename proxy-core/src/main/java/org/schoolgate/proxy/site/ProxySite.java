package org.schoolgate.proxy.site;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.regex.Pattern;
import org.schoolgate.proxy.pages.Pages;

/**
 * The proxy's own pages, answered for origin-form {@code GET} and {@code HEAD} requests (a
 * browser fetching a URL on the proxy's address, never a proxied request):
 * <ul>
 *   <li>{@code /proxy.pac}, {@code /wpad.dat}: the PAC file ({@link PacFile});
 *   <li>{@code /ca}, {@code /ca.pem}, {@code /ca.der} (also {@code /ca.crt}): the school CA's
 *       download ({@link CaDownload}) when interception is configured; otherwise a 404 page that
 *       says so.
 * </ul>
 * A query string is ignored. Everything else is not the site's ({@link #serves} false). The PAC
 * file names the configured proxy nodes, or else the host the browser fetched it from on the
 * proxy port, so one node needs no settings.
 */
public final class ProxySite {
  private static final String HTML = "text/html; charset=utf-8";
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");
  private static final ByteBuf NO_CA = CaDownload.fixed(("<!DOCTYPE html><html lang=\"en\"><head>"
      + "<meta charset=\"utf-8\"><title>No school certificate</title></head><body><main>"
      + "<h1>This web filter has no school certificate to install</h1><p>The school's web filter"
      + " does not check secure (https) sites' contents, so your device needs no certificate from"
      + " it. If a page told you to install one, ask the IT team: the filter's <code>"
      + "interception:</code> section is not set up.</p></main></body></html>")
      .getBytes(StandardCharsets.UTF_8));

  private final PacSettings pac;
  private final String fixedPac;
  private final CaDownload ca;
  private volatile int proxyPort;

  /**
   * {@code caCertificate}: the school CA when interception is configured, else null;
   * {@code proxyPort}: the proxy port the PAC file names when {@code pac} names no node (0 until
   * {@link #proxyPort(int)} tells the bound one).
   */
  public ProxySite(PacSettings pac, X509Certificate caCertificate, int proxyPort) {
    this.pac = Objects.requireNonNull(pac, "pac (expected: PacSettings.DEFAULTS)");
    this.fixedPac = pac.proxies().isEmpty() ? null : PacFile.render(pac, null);
    this.ca = caCertificate == null ? null : CaDownload.of(caCertificate);
    this.proxyPort = proxyPort;
  }

  /** The proxy port actually bound (the PAC file names it). */
  public void proxyPort(int port) {
    this.proxyPort = port;
  }

  /** True when {@code request} asks for one of the site's pages. */
  public boolean serves(HttpRequest request) {
    HttpMethod m = request.method();
    return (HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m)) && page(request.uri()) != null;
  }

  /** The path of the site's page {@code uri} names (query left out), or null. */
  private static String page(String uri) {
    if (!uri.startsWith("/")) {
      return null;
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    return switch (path) {
      case "/proxy.pac", "/wpad.dat", "/ca", "/ca.pem", "/ca.der", "/ca.crt" -> path;
      default -> null;
    };
  }

  /**
   * The answer to {@code request} ({@link #serves} true), which arrived on {@code local}: the
   * PAC file, a CA download, or the 404 page when interception is not configured.
   */
  public FullHttpResponse answer(HttpRequest request, InetSocketAddress local, boolean keepAlive) {
    boolean head = HttpMethod.HEAD.equals(request.method());
    String path = page(request.uri());
    if ("/proxy.pac".equals(path) || "/wpad.dat".equals(path)) {
      String js = fixedPac != null ? fixedPac : PacFile.render(pac, thisProxy(request, local));
      return Pages.document(HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(js.getBytes(StandardCharsets.US_ASCII)), PacFile.CONTENT_TYPE,
          head, keepAlive);
    }
    if (ca == null) {
      return Pages.document(HttpResponseStatus.NOT_FOUND, NO_CA, HTML, head, keepAlive);
    }
    return switch (path) {
      case "/ca.pem" -> Pages.document(HttpResponseStatus.OK, ca.pem, CaDownload.PEM_TYPE, head,
          keepAlive);
      case "/ca.der", "/ca.crt" -> Pages.document(HttpResponseStatus.OK, ca.der,
          CaDownload.DER_TYPE, head, keepAlive);
      default -> Pages.document(HttpResponseStatus.OK, ca.page, HTML, head, keepAlive);
    };
  }

  /** What the access log calls the page: {@code pac} or {@code ca}. */
  public static String kind(HttpRequest request) {
    String path = page(request.uri());
    return path != null && path.startsWith("/ca") ? "ca" : "pac";
  }

  /**
   * {@code host:port} of this proxy as the browser reached it: the Host header's host when it is
   * a plain name or address, else the address the connection came in on; the proxy port.
   */
  private String thisProxy(HttpRequest request, InetSocketAddress local) {
    String header = request.headers().get(HttpHeaderNames.HOST);
    String host = null;
    if (header != null) {
      String h = header.strip();
      if (h.startsWith("[")) {
        int end = h.indexOf(']');
        h = end < 0 ? "" : h.substring(0, end + 1);
      } else if (h.indexOf(':') >= 0) {
        h = h.substring(0, h.indexOf(':'));
      }
      host = HOST.matcher(h).matches() ? h : null;
    }
    if (host == null) {
      host = local.getAddress() instanceof Inet6Address
          ? "[" + local.getAddress().getHostAddress() + "]" : local.getAddress().getHostAddress();
    }
    return host + ":" + proxyPort;
  }
}
