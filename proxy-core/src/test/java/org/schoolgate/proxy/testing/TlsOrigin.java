package org.schoolgate.proxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A TLS origin on 127.0.0.1:0 with a self-signed certificate (made with BouncyCastle) for the
 * given names. After the handshake it reads one line and answers {@code hello <sni>} with the
 * server name the client sent ({@code -} when none), so a test sees the name arrive unchanged.
 * {@link #client} gives a TLS client that trusts only this origin.
 */
public final class TlsOrigin implements BeforeAllCallback, AfterAllCallback {
  private final List<String> names;
  private String bindAddress = "127.0.0.1";
  private java.util.function.IntSupplier bindPort = () -> 0;
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger clients = new AtomicInteger();
  private X509Certificate certificate;
  private SSLContext server;
  private SSLContext client;
  private SSLServerSocket socket;

  public TlsOrigin(String... names) {
    this.names = List.of(names);
  }

  /**
   * Listens on {@code address} and the port {@code port} gives when the origin starts (e.g.
   * another origin's port, so two origins stand in for two names on one port), instead of
   * 127.0.0.1 and an ephemeral port.
   */
  public TlsOrigin bindTo(String address, java.util.function.IntSupplier port) {
    this.bindAddress = address;
    this.bindPort = port;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + names.get(0));
    long now = System.currentTimeMillis();
    GeneralName[] san = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
        .toArray(GeneralName[]::new);
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        BigInteger.valueOf(now), new Date(now - 3_600_000L), new Date(now + 86_400_000L), subject,
        keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
    certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("origin", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, new char[0]);
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("origin", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);

    socket = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), bindPort.getAsInt()));
    Thread acceptor = new Thread(this::accept, "tls-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve((SSLSocket) s), "tls-origin-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket s) {
    try (s) {
      s.setSoTimeout(20_000);
      s.startHandshake();
      handshakes.incrementAndGet();
      List<SNIServerName> requested = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames();
      String sni = requested.isEmpty() ? "-" : ((SNIHostName) requested.get(0)).getAsciiName();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      in.readLine();
      OutputStream out = s.getOutputStream();
      out.write(("hello " + sni + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // the proxy closed a refused tunnel, or the test is over
    }
  }

  /**
   * Starts TLS over an established tunnel: {@code serverName} is sent as SNI, or none when null.
   * Throws when the handshake fails (for instance, the proxy closed the tunnel).
   */
  public SSLSocket handshake(Socket tunnel, String serverName) throws IOException {
    // a fresh peer name per handshake: the JDK would otherwise resume a cached session and
    // resend that session's server name
    SSLSocket tls = (SSLSocket) client.getSocketFactory()
        .createSocket(tunnel, "origin-" + clients.incrementAndGet(), port(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  /**
   * Starts TLS over an established tunnel as a browser does for {@code host}: SNI {@code host}
   * and the HTTPS hostname check of the certificate against {@code host}, trusting only this
   * origin's certificate. Throws when the handshake or the check fails.
   */
  public SSLSocket browserHandshake(Socket tunnel, String host) throws IOException {
    SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(tunnel, host, port(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(host)));
    params.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  /** The origin's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Handshakes the origin completed so far. */
  public int handshakes() {
    return handshakes.get();
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (socket != null) {
      socket.close();
    }
  }
}
