package org.schoolgate.proxy.site;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The page listener: plain HTTP (port 80, and optionally TLS on 443) at the address the filtering DNS resolver answers for
 * blocked names (its {@code block-answer}), where browsers land after a DNS block and where WPAD
 * found through DNS ({@code http://wpad.<domain>/wpad.dat}) is fetched. It serves {@code
 * /wpad.dat}, {@code /proxy.pac}, the CA download, and for any other request the block page for
 * the name the browser asked for ({@code Host}); it never forwards. Validated when built.
 *
 * <p>With {@code httpsPort} (443 in production; needs the school CA, {@code interception:}), TLS
 * connections there are decrypted with the CA's leaf for the name in their ClientHello and get the
 * same pages inside TLS — on devices that trust the CA; others see a certificate warning.
 *
 * @param address the block-page address (an address of this machine)
 * @param httpPort the port, 80 in production
 * @param httpsPort the TLS port, 0 for none
 */
public record PageListenerSettings(InetAddress address, int httpPort, int httpsPort) {
  public PageListenerSettings {
    Objects.requireNonNull(address, "proxy.page-listener.address is null (expected: the"
        + " block-page address the DNS filter answers with, such as 10.0.0.5)");
    if (httpPort < 0 || httpPort > 65_535) {
      throw new IllegalArgumentException("proxy.page-listener.http: " + httpPort
          + " (expected: a port such as 80; 0 picks a free one)");
    }
    if (httpsPort < 0 || httpsPort > 65_535 || (httpsPort != 0 && httpsPort == httpPort)) {
      throw new IllegalArgumentException("proxy.page-listener.https: " + httpsPort
          + " (expected: a port such as 443, not the http port; 0 for none)");
    }
  }

  /** Plain HTTP only. */
  public PageListenerSettings(InetAddress address, int httpPort) {
    this(address, httpPort, 0);
  }
}
