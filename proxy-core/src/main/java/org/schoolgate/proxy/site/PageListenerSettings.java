package org.schoolgate.proxy.site;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The page listener: plain HTTP (port 80) at the address the filtering DNS resolver answers for
 * blocked names (its {@code block-answer}), where browsers land after a DNS block and where WPAD
 * found through DNS ({@code http://wpad.<domain>/wpad.dat}) is fetched. It serves {@code
 * /wpad.dat}, {@code /proxy.pac}, the CA download, and for any other request the block page for
 * the name the browser asked for ({@code Host}); it never forwards. Validated when built.
 *
 * @param address the block-page address (an address of this machine)
 * @param httpPort the port, 80 in production
 */
public record PageListenerSettings(InetAddress address, int httpPort) {
  public PageListenerSettings {
    Objects.requireNonNull(address, "proxy.page-listener.address is null (expected: the"
        + " block-page address the DNS filter answers with, such as 10.0.0.5)");
    if (httpPort < 0 || httpPort > 65_535) {
      throw new IllegalArgumentException("proxy.page-listener.http: " + httpPort
          + " (expected: a port such as 80; 0 picks a free one)");
    }
  }
}
