package org.schoolgate.proxy.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.schoolgate.proxy.pages.ErrorPage;

/**
 * The TLS client side of interception: one context for every origin, trusting the JDK's
 * certificate authorities plus the configured extra ones, checking the origin's name (HTTPS
 * endpoint identification against the host asked for; SNI is that host) and offering only
 * HTTP/1.1 by ALPN. {@link #problem} turns a failed handshake into the page that says why.
 */
public final class UpstreamTls {
  private final SslContext context;

  public UpstreamTls(List<X509Certificate> extraTrustedCas) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int n = 0;
      for (X509Certificate ca : jdkAuthorities()) {
        trust.setCertificateEntry("jdk-" + n++, ca);
      }
      for (X509Certificate ca : extraTrustedCas) {
        trust.setCertificateEntry("extra-" + n++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      context = SslContextBuilder.forClient()
          .trustManager(tmf)
          .endpointIdentificationAlgorithm("HTTPS")
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("the upstream TLS context for interception could not be"
          + " built: " + e.getMessage() + " (expected: readable extra CA certificates)", e);
    }
  }

  SslContext context() {
    return context;
  }

  private static X509Certificate[] jdkAuthorities() throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }

  /**
   * The page for a failed upstream handshake: expired (or not yet valid), wrong name, untrusted,
   * or {@link ErrorPage#UPSTREAM_TLS_FAILED} for anything else.
   */
  public static ErrorPage problem(Throwable failure) {
    if (anyInChain(failure, t -> t instanceof CertificateExpiredException
        || t instanceof CertificateNotYetValidException
        || t instanceof CertPathValidatorException v
            && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)
        || message(t).contains("validity check failed"))) {
      return ErrorPage.CERTIFICATE_EXPIRED;
    }
    if (anyInChain(failure, t -> message(t).contains("no subject alternative")
        || message(t).contains("doesn't match") || message(t).contains("does not match"))) {
      return ErrorPage.CERTIFICATE_WRONG_NAME;
    }
    if (anyInChain(failure, t -> message(t).contains("pkix path")
        || message(t).contains("unable to find valid certification path")
        || t instanceof java.security.cert.CertPathBuilderException)) {
      return ErrorPage.CERTIFICATE_UNTRUSTED;
    }
    return ErrorPage.UPSTREAM_TLS_FAILED;
  }

  private static boolean anyInChain(Throwable failure, java.util.function.Predicate<Throwable> test) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
  }

}
