package org.schoolgate.resolver.wire;

import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetSocketAddress;

/**
 * A response that knows the most bytes its client accepts over UDP (512 without EDNS, else the
 * client's advertised size, at most {@link Replies#UDP_PAYLOAD}); over TCP the limit is never
 * reached. {@link TruncatingResponseEncoder} truncates anything larger.
 */
public final class UdpResponse extends DatagramDnsResponse {
  private final int maxSize;
  private final boolean edns;

  UdpResponse(InetSocketAddress sender, InetSocketAddress recipient, int id, DnsOpCode opCode,
      DnsResponseCode code, int maxSize, boolean edns) {
    super(sender, recipient, id, opCode, code);
    this.maxSize = maxSize;
    this.edns = edns;
  }

  /** The most bytes the client accepts. */
  public int maxSize() {
    return maxSize;
  }

  /** True when the query had EDNS, so the response carries our OPT record. */
  public boolean edns() {
    return edns;
  }
}
