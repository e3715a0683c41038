package org.schoolgate.admin.tls;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * HTTPS on the admin port. Deploy reads the certificate chain and key from PEM files, or has the
 * school's CA issue them for the public name (admin-api never depends on the proxy's CA code).
 *
 * @param key the server's private key
 * @param chain the server certificate first, then any intermediates
 * @param redirectFrom a plain-HTTP listener that only redirects to HTTPS (e.g. {@code 0.0.0.0:80}), or null;
 *     plain HTTP on the HTTPS port itself is always redirected
 * @param publicUrl the {@code https://} URL redirects point at, or null to use the request's host
 *     name and the HTTPS port
 * @param hstsMaxAge the {@code Strict-Transport-Security} max-age; zero sends none
 */
public record AdminTls(PrivateKey key, List<X509Certificate> chain, InetSocketAddress redirectFrom, URI publicUrl,
    Duration hstsMaxAge) {
  /** Browsers remember HTTPS-only for a year by default. */
  public static final Duration DEFAULT_HSTS = Duration.ofDays(365);

  public AdminTls {
    Objects.requireNonNull(key, "admin.tls key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("admin.tls: the certificate chain is empty (expected: the server"
          + " certificate first, then intermediates, as PEM)");
    }
    if (publicUrl != null && !"https".equals(publicUrl.getScheme())) {
      throw new IllegalArgumentException("admin.public-url '" + publicUrl + "' is not https while admin.tls is"
          + " set (expected: https://" + (publicUrl.getHost() == null ? "filter.school.example" : publicUrl.getHost())
          + publicUrl.getRawPath() + ")");
    }
    Objects.requireNonNull(hstsMaxAge, "admin.tls.hsts-max-age");
    if (hstsMaxAge.isNegative()) {
      throw new IllegalArgumentException("admin.tls.hsts-max-age is " + hstsMaxAge + " (expected: 0 or more, e.g. 365d)");
    }
  }

  /** The server certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "AdminTls[" + certificate().getSubjectX500Principal().getName() + ", key=(set), redirectFrom="
        + redirectFrom + ", publicUrl=" + publicUrl + ", hsts=" + hstsMaxAge + "]";
  }
}
