package org.schoolgate.admin.tls;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The admin server's listeners when it serves HTTPS: one port that speaks TLS (HTTP/1.1, the
 * JDK's TLS 1.2/1.3) and answers plain HTTP arriving there with a redirect (Jetty's {@link
 * DetectorConnectionFactory} looks at the first bytes), HSTS on every HTTPS answer (Jetty's
 * {@link SecureRequestCustomizer}), and optionally a second, plain listener that only redirects.
 * {@link #redirect} is the Javalin {@code before} handler that turns every plain request into a
 * 308 to the same path over HTTPS (308 keeps the method and body).
 */
public final class TlsConnectors {
  private final AdminTls tls;
  private ServerConnector secure;
  private ServerConnector plain;

  public TlsConnectors(AdminTls tls) {
    this.tls = tls;
  }

  /** Adds the connectors to Javalin's Jetty (instead of its default plain one). */
  public void install(JavalinConfig cfg, InetSocketAddress listen) {
    SslContextFactory.Server ssl = sslContextFactory();
    cfg.jetty.addConnector((server, http) -> {
      HttpConfiguration https = new HttpConfiguration(http);
      SecureRequestCustomizer customizer = new SecureRequestCustomizer();
      customizer.setSniHostCheck(false); // clients may use the IP address or another name the certificate lacks
      customizer.setStsMaxAge(tls.hstsMaxAge().toSeconds());
      https.addCustomizer(customizer);
      HttpConnectionFactory h1 = new HttpConnectionFactory(https);
      SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString());
      secure = new ServerConnector(server, new DetectorConnectionFactory(tlsFactory), h1);
      secure.setHost(listen.getAddress().getHostAddress());
      secure.setPort(listen.getPort());
      return secure;
    });
    if (tls.redirectFrom() != null) {
      cfg.jetty.addConnector((server, http) -> {
        plain = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration(http)));
        plain.setHost(tls.redirectFrom().getAddress().getHostAddress());
        plain.setPort(tls.redirectFrom().getPort());
        return plain;
      });
    }
  }

  /** Javalin {@code before}: a request that did not come over TLS is redirected to HTTPS. */
  public void redirect(Context ctx) {
    if (ctx.req().isSecure()) {
      return;
    }
    String query = ctx.queryString();
    String target = base(ctx) + ctx.path() + (query == null ? "" : "?" + query);
    ctx.header("Location", target);
    ctx.header("Cache-Control", "no-store");
    ctx.status(HttpStatus.PERMANENT_REDIRECT).result("HTTPS only: " + target + "\n");
    ctx.skipRemainingHandlers();
  }

  private String base(Context ctx) {
    URI publicUrl = tls.publicUrl();
    if (publicUrl != null) {
      String s = publicUrl.getScheme() + "://" + publicUrl.getRawAuthority();
      return s;
    }
    String host = ctx.req().getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "https://" + host + ":" + securePort();
  }

  /** The HTTPS port (its real number when configured with 0). */
  public int securePort() {
    return secure.getLocalPort();
  }

  /** The redirect-only listener's port, or -1 when there is none. */
  public int plainPort() {
    return plain == null ? -1 : plain.getLocalPort();
  }

  private SslContextFactory.Server sslContextFactory() {
    try {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      char[] password = Base64.getEncoder().encodeToString(random).toCharArray(); // only ever in memory
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("schoolgate-admin", tls.key(), password, tls.chain().toArray(new Certificate[0]));
      SslContextFactory.Server factory = new SslContextFactory.Server();
      factory.setKeyStore(store);
      factory.setKeyStorePassword(new String(password));
      factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      factory.setSniRequired(false);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("admin.tls: the key and certificate cannot be used together: "
          + e.getMessage(), e);
    }
  }
}
