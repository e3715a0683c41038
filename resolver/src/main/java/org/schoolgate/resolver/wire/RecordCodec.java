package org.schoolgate.resolver.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DefaultDnsRecordEncoder;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * Netty's record codec with two costs taken out of the per-query path: questions are read without
 * the {@code java.net.IDN} pass ({@link PlainQuestion}), and names are written label by label
 * without {@code String.split}. Every other record is decoded and encoded by Netty's defaults.
 */
public final class RecordCodec {
  /** Reads questions as {@link PlainQuestion}s, everything else as Netty does. */
  public static final DnsRecordDecoder DECODER = new Decoder();
  /** Writes names without splitting them into strings first. */
  public static final DnsRecordEncoder ENCODER = new Encoder();

  private RecordCodec() {}

  private static final class Decoder implements DnsRecordDecoder {
    @Override
    public DnsQuestion decodeQuestion(ByteBuf in) {
      String name = DefaultDnsRecordDecoder.decodeName(in);
      int type = in.readUnsignedShort();
      int dnsClass = in.readUnsignedShort();
      return new PlainQuestion(name, DnsRecordType.valueOf(type), dnsClass);
    }

    @Override
    public <T extends DnsRecord> T decodeRecord(ByteBuf in) throws Exception {
      return DnsRecordDecoder.DEFAULT.decodeRecord(in);
    }
  }

  private static final class Encoder extends DefaultDnsRecordEncoder {
    @Override
    protected void encodeName(String name, ByteBuf buf) {
      int n = name.length();
      int start = 0;
      int total = 0;
      while (start < n) {
        int dot = name.indexOf('.', start);
        int end = dot < 0 ? n : dot;
        int length = end - start;
        if (length == 0) {
          if (dot < 0 || dot == n - 1) {
            break;
          }
          throw new CorruptedFrameException("empty label in DNS name " + name);
        }
        if (length > 63) {
          throw new CorruptedFrameException("DNS label longer than 63 bytes in " + name);
        }
        total += 1 + length;
        if (total > 255) {
          throw new CorruptedFrameException("DNS name longer than 255 bytes: " + name);
        }
        buf.writeByte(length);
        for (int i = start; i < end; i++) {
          buf.writeByte(name.charAt(i));
        }
        start = end + 1;
      }
      buf.writeByte(0);
    }
  }
}
