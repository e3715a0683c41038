package org.schoolgate.resolver.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import java.util.List;

/**
 * Netty's {@link DatagramDnsQueryDecoder} (with {@link RecordCodec#DECODER}), except that bytes
 * it cannot read become a {@link BadQuery} for the handler to answer (or drop) instead of an
 * exception. Used for UDP and, after {@link TcpFrames}, for TCP.
 */
public final class QueryDecoder extends DatagramDnsQueryDecoder {
  public QueryDecoder() {
    super(RecordCodec.DECODER);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
    int start = packet.content().readerIndex();
    try {
      super.decode(ctx, packet, out);
    } catch (Exception e) {
      out.add(BadQuery.of(packet.sender(), packet.recipient(), packet.content(), start, e));
    }
  }
}
