package org.schoolgate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Downloads a list archive over HTTPS into a file, with a size limit, and returns its SHA-256.
 * Trusts the JDK's certificate authorities plus, optionally, those in a PEM file (a school's
 * TLS-inspecting proxy, or a test server).
 */
final class ListDownloader {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final long maxBytes;
  private final Duration timeout;

  /**
   * @param extraCaFile PEM certificates to trust besides the JDK's, or null
   * @param maxBytes the largest download accepted
   * @param timeout how long the whole download may take
   */
  ListDownloader(Path extraCaFile, long maxBytes, Duration timeout) throws ListUpdateException {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .sslContext(sslContext(extraCaFile))
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Downloads {@code url} into {@code target}; returns the SHA-256 of the bytes, lower-case hex. */
  String download(URI url, Path target) throws ListUpdateException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET()
        .header("User-Agent", "schoolgate-lists-update").build();
    MessageDigest sha256 = sha256();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new ListUpdateException("download failed: HTTP " + response.statusCode() + " from " + url
              + " (expected: 200)");
        }
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) {
              throw new ListUpdateException("download failed: " + url + " is larger than " + maxBytes
                  + " bytes (expected: a list archive under the limit)");
            }
            sha256.update(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
      }
    } catch (SSLException e) {
      throw new ListUpdateException("download failed: TLS with " + url.getHost() + " failed: " + e.getMessage()
          + " (expected: a certificate trusted by the JDK, or by the list's ca-file / --ca-file)", e);
    } catch (HttpTimeoutException e) {
      throw new ListUpdateException("download failed: " + url + " timed out (" + e.getMessage() + ")", e);
    } catch (ConnectException e) {
      throw new ListUpdateException("download failed: cannot connect to " + url.getHost() + ":"
          + (url.getPort() < 0 ? 443 : url.getPort()) + " (" + e + ")", e);
    } catch (IOException e) {
      throw new ListUpdateException("download failed: " + url + ": " + e, e);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static SSLContext sslContext(Path extraCaFile) throws ListUpdateException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      if (extraCaFile == null) {
        context.init(null, null, null);
        return context;
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      int i = 0;
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            trust.setCertificateEntry("jdk-" + i++, c);
          }
        }
      }
      Collection<? extends Certificate> extra;
      try (InputStream in = Files.newInputStream(extraCaFile)) {
        extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (extra.isEmpty()) {
        throw new ListUpdateException("the CA file " + extraCaFile
            + " has no certificates (expected: PEM certificates, -----BEGIN CERTIFICATE-----)");
      }
      for (Certificate c : extra) {
        trust.setCertificateEntry("extra-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new ListUpdateException("cannot read the CA file " + extraCaFile + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new ListUpdateException("cannot use the CA file " + extraCaFile + ": " + e.getMessage()
          + " (expected: PEM certificates)", e);
    }
  }
}
