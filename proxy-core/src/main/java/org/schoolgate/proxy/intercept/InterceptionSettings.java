package org.schoolgate.proxy.intercept;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What the proxy needs to decrypt the tunnels the policy selects for interception: the school
 * CA's leaf certificates (client side) and the certificate authorities trusted for origins
 * (upstream side: the JDK trust store plus {@code extraTrustedCas}, e.g. an internal CA).
 *
 * <pre>{@code
 * LeafCertificates leaves = new LeafCertificates(ca, executor, clock, Duration.ofDays(7), 10_000);
 * ProxyConfig config = ProxyConfig.builder()
 *     .interception(InterceptionSettings.of(leaves, List.of()))
 *     .build();
 * }</pre>
 *
 * @param leaves server contexts per host, signed by the school CA
 * @param extraTrustedCas certificates trusted for origins besides the JDK's (possibly empty)
 * @param caCertificate the school CA's certificate, offered for download on the proxy port's
 *     {@code /ca} page; null when not known (the page then says interception is not set up)
 */
public record InterceptionSettings(LeafSource leaves, List<X509Certificate> extraTrustedCas,
    X509Certificate caCertificate) {
  public InterceptionSettings {
    Objects.requireNonNull(leaves,
        "interception.leaves is null (expected: the school CA's LeafCertificates::serverContext)");
    Objects.requireNonNull(extraTrustedCas,
        "interception.extraTrustedCas is null (expected: a list, empty for the JDK's trust store only)");
    extraTrustedCas = List.copyOf(extraTrustedCas);
  }

  /** Settings whose CA certificate is not known (no {@code /ca} download). */
  public InterceptionSettings(LeafSource leaves, List<X509Certificate> extraTrustedCas) {
    this(leaves, extraTrustedCas, null);
  }

  /** Settings presenting {@code leaves}' certificates and trusting the JDK's CAs plus {@code extraTrustedCas}. */
  public static InterceptionSettings of(org.schoolgate.proxy.ca.LeafCertificates leaves,
      List<X509Certificate> extraTrustedCas) {
    Objects.requireNonNull(leaves, "leaves (expected: the school CA's LeafCertificates)");
    return new InterceptionSettings(leaves::serverContext, extraTrustedCas, leaves.caCertificate());
  }
}
