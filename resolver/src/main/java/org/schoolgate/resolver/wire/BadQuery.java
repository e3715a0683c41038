package org.schoolgate.resolver.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * A datagram (or TCP frame) Netty's decoder could not read as a query. When its header is there
 * and it is a query (QR clear), the client gets FORMERR with its id; anything shorter than a
 * header, or a response (which must never be answered: two servers would bounce errors at each
 * other for ever), is dropped. Either way it is counted.
 *
 * @param sender the client
 * @param recipient the address it was sent to
 * @param id the query id, or -1 without a whole header
 * @param opcode the header's opcode (0 without a header)
 * @param response true when the QR bit says it is a response
 * @param problem what the decoder said
 */
public record BadQuery(InetSocketAddress sender, InetSocketAddress recipient, int id, int opcode, boolean response,
    String problem) {

  /** Reads what can be read of the header at {@code [start, ...)} of {@code packet}. */
  static BadQuery of(InetSocketAddress sender, InetSocketAddress recipient, ByteBuf packet, int start,
      Exception problem) {
    String why = problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
    if (packet.writerIndex() - start < 12) {
      return new BadQuery(sender, recipient, -1, 0, false, "shorter than a DNS header: " + why);
    }
    int id = packet.getUnsignedShort(start);
    int flags = packet.getUnsignedShort(start + 2);
    return new BadQuery(sender, recipient, id, flags >> 11 & 0xf, (flags & 0x8000) != 0, why);
  }

  /** True when the sender may be told FORMERR. */
  public boolean answerable() {
    return id >= 0 && !response;
  }
}
