package org.schoolgate.resolver.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * DNS over TCP (RFC 7766): each message is preceded by its two-byte length. {@link #framer()}
 * cuts the stream into messages; {@link ToPacket} hands each on as a datagram from the
 * connection's peer, so one decoder ({@link QueryDecoder}) and one handler serve both transports.
 * Answers go out through Netty's {@code TcpDnsResponseEncoder}, which writes the length back.
 */
public final class TcpFrames {
  /** The largest DNS message (the length field is 16 bits). */
  static final int MAX_MESSAGE = 65_535;

  private TcpFrames() {}

  /** Splits the stream at the two-byte lengths, stripping them. */
  public static LengthFieldBasedFrameDecoder framer() {
    return new LengthFieldBasedFrameDecoder(MAX_MESSAGE + 2, 0, 2, 0, 2);
  }

  /** A frame as a datagram from the peer to the local address. */
  public static final class ToPacket extends MessageToMessageDecoder<ByteBuf> {
    public ToPacket() {
      super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
      out.add(new DatagramPacket(frame.retain(), (InetSocketAddress) ctx.channel().localAddress(),
          (InetSocketAddress) ctx.channel().remoteAddress()));
    }
  }
}
