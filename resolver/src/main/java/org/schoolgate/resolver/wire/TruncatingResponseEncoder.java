package org.schoolgate.resolver.wire;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.schoolgate.resolver.metrics.ResolverMetrics;

/**
 * Netty's {@link DatagramDnsResponseEncoder}, plus RFC 1035/6891 truncation: a response longer
 * than its client accepts over UDP ({@link UdpResponse#maxSize}) is replaced by its header with
 * TC set, its question and our OPT record, so the client asks again over TCP. Counted as
 * {@value ResolverMetrics#TRUNCATED}.
 */
public final class TruncatingResponseEncoder extends DatagramDnsResponseEncoder {
  private final ResolverMetrics metrics;

  public TruncatingResponseEncoder(ResolverMetrics metrics) {
    super(RecordCodec.ENCODER);
    this.metrics = metrics;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<DnsResponse, InetSocketAddress> in,
      List<Object> out) throws Exception {
    super.encode(ctx, in, out);
    Object message = in;
    if (!(message instanceof UdpResponse response)) {
      return;
    }
    DatagramPacket packet = (DatagramPacket) out.get(out.size() - 1);
    if (packet.content().readableBytes() <= response.maxSize()) {
      return;
    }
    ReferenceCountUtil.release(out.remove(out.size() - 1));
    metrics.truncated();
    UdpResponse truncated = new UdpResponse(response.sender(), response.recipient(), response.id(),
        response.opCode(), response.code(), response.maxSize(), response.edns());
    truncated.setTruncated(true);
    truncated.setRecursionDesired(response.isRecursionDesired());
    truncated.setRecursionAvailable(true);
    if (response.count(DnsSection.QUESTION) > 0) {
      truncated.addRecord(DnsSection.QUESTION, response.recordAt(DnsSection.QUESTION));
    }
    if (response.edns()) {
      truncated.addRecord(DnsSection.ADDITIONAL, new OptRecord(Replies.UDP_PAYLOAD));
    }
    try {
      super.encode(ctx, envelope(truncated), out);
    } finally {
      truncated.release();
    }
  }

  /** A {@code DatagramDnsResponse} is an envelope of itself; Netty's encoder takes it as one of a {@code DnsResponse}. */
  @SuppressWarnings("unchecked")
  private static AddressedEnvelope<DnsResponse, InetSocketAddress> envelope(UdpResponse response) {
    Object o = response;
    return (AddressedEnvelope<DnsResponse, InetSocketAddress>) o;
  }
}
