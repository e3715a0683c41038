package org.schoolgate.deploy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a running Schoolgate to reload its policy: {@code POST /api/v1/policy/reload} on the admin API. */
final class PolicyReloadClient {
  /** The outcome of asking. */
  sealed interface Outcome {
    /** The running Schoolgate reloaded; {@code body} is its JSON answer. */
    record Reloaded(String body) implements Outcome {}

    /** It answered with an error (422: the policy was rejected; it keeps the old snapshot). */
    record Refused(int status, String body) implements Outcome {}

    /** Nothing listens at the admin address. */
    record NotRunning(URI url) implements Outcome {}
  }

  private PolicyReloadClient() {}

  /** The reload URL for an admin listener (an all-interfaces listener is reached on loopback). */
  static URI reloadUrl(InetSocketAddress admin) {
    InetAddress a = admin.getAddress();
    String host = a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + admin.getPort() + "/api/v1/policy/reload");
  }

  /**
   * The reload URL of a running Schoolgate: its HTTPS public URL when the admin port serves TLS
   * (the certificate names that host), else plain HTTP on the listener.
   */
  static URI reloadUrl(RuntimeConfig.AdminSettings admin) {
    return admin.tls() == null ? reloadUrl(admin.listen())
        : URI.create(admin.effectivePublicUrl() + "/api/v1/policy/reload");
  }

  /** Posts the reload, with {@code Authorization: Bearer token} when {@code token} is not null. */
  static Outcome reload(URI url, Duration timeout, String token) throws IOException, InterruptedException {
    return reload(url, timeout, token, null);
  }

  /**
   * Posts the reload; over HTTPS {@code trusted} (the admin certificate or the school CA) is
   * trusted besides the JDK's CAs.
   */
  static Outcome reload(URI url, Duration timeout, String token, java.security.cert.X509Certificate trusted)
      throws IOException, InterruptedException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (trusted != null) {
      builder.sslContext(trusting(trusted));
    }
    HttpClient client = builder.build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new Outcome.Reloaded(response.body())
          : new Outcome.Refused(response.statusCode(), response.body());
    } catch (ConnectException e) {
      return new Outcome.NotRunning(url);
    }
  }

  private static javax.net.ssl.SSLContext trusting(java.security.cert.X509Certificate extra) throws IOException {
    try {
      javax.net.ssl.TrustManagerFactory jdk = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((java.security.KeyStore) null);
      java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("schoolgate-admin", extra);
      int i = 0;
      for (javax.net.ssl.TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof javax.net.ssl.X509TrustManager x) {
          for (java.security.cert.X509Certificate ca : x.getAcceptedIssuers()) {
            anchors.setCertificateEntry("jdk-" + i++, ca);
          }
        }
      }
      javax.net.ssl.TrustManagerFactory both = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      both.init(anchors);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, both.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot set up TLS trust for the admin API: " + e.getMessage(), e);
    }
  }
}
