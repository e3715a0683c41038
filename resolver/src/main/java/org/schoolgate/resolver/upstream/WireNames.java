package org.schoolgate.resolver.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * Domain names in wire format. Netty's record decoder writes out compressed names for CNAME, NS,
 * MX and PTR records only; an SOA record's two names (in every negative answer's authority
 * section) may point elsewhere in the message, so {@link #soa} follows those pointers while the
 * message is still there. Pointers are followed at most 127 times (no loops), names are at most
 * 255 bytes, and a name must end inside the record's RDATA.
 */
final class WireNames {
  private static final int MAX_NAME = 255;
  private static final int MAX_JUMPS = 127;

  private WireNames() {}

  /**
   * The RDATA of an SOA record at {@code [from, to)} of {@code message} (indexes are offsets into
   * the whole message, as Netty's raw record content keeps them) with both names in full.
   */
  static byte[] soa(ByteBuf message, int from, int to) {
    ByteBuf out = Unpooled.buffer(to - from + 64);
    int i = copyName(message, from, to, out);
    i = copyName(message, i, to, out);
    if (to - i != 20) {
      throw new CorruptedFrameException("SOA record: " + (to - i) + " bytes after the names (expected: 20)");
    }
    out.writeBytes(message, i, 20);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /**
   * Copies the name starting at {@code start} into {@code out} without compression; returns the
   * index just after the name as it sits in the RDATA (after its first pointer, if any).
   */
  static int copyName(ByteBuf in, int start, int end, ByteBuf out) {
    int i = start;
    int after = -1;
    int jumps = 0;
    int length = 0;
    while (true) {
      if (i < 0 || i >= in.capacity()) {
        throw new CorruptedFrameException("name runs out of the message at " + i);
      }
      int len = in.getUnsignedByte(i);
      if ((len & 0xC0) == 0xC0) {
        if (i + 1 >= in.capacity()) {
          throw new CorruptedFrameException("compression pointer cut at " + i);
        }
        if (after < 0) {
          after = i + 2;
        }
        if (++jumps > MAX_JUMPS) {
          throw new CorruptedFrameException("compression pointers loop");
        }
        i = (len & 0x3F) << 8 | in.getUnsignedByte(i + 1);
        continue;
      }
      if ((len & 0xC0) != 0) {
        throw new CorruptedFrameException("label type " + (len >> 6) + " is not supported");
      }
      length += len + 1;
      if (length > MAX_NAME) {
        throw new CorruptedFrameException("name longer than " + MAX_NAME + " bytes");
      }
      out.writeByte(len);
      if (len == 0) {
        int next = after < 0 ? i + 1 : after;
        if (next > end) {
          throw new CorruptedFrameException("name runs past its record");
        }
        return next;
      }
      if (i + 1 + len > in.capacity()) {
        throw new CorruptedFrameException("label runs out of the message at " + i);
      }
      out.writeBytes(in, i + 1, len);
      i += 1 + len;
    }
  }

  /** {@code name} (dotted, e.g. {@code host.example.}) in wire format, for PTR targets. */
  static byte[] encode(String name) {
    ByteBuf out = Unpooled.buffer(name.length() + 2);
    if (!name.equals(".") && !name.isEmpty()) {
      for (String label : name.split("\\.")) {
        if (label.isEmpty()) {
          continue;
        }
        byte[] b = label.getBytes(StandardCharsets.US_ASCII);
        if (b.length > 63) {
          throw new CorruptedFrameException("label longer than 63 bytes in " + name);
        }
        out.writeByte(b.length);
        out.writeBytes(b);
      }
    }
    out.writeByte(0);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /**
   * The uncompressed wire-format name in {@code rdata} (a CNAME or DNAME target as Netty's decoder
   * hands it on), lower case, without the trailing dot (the root is {@code ""}); null when the
   * bytes are no whole name.
   */
  static String decode(byte[] rdata) {
    StringBuilder out = new StringBuilder(rdata.length);
    int i = 0;
    while (i < rdata.length) {
      int len = rdata[i] & 0xFF;
      if (len == 0) {
        return i + 1 == rdata.length ? out.toString().toLowerCase(java.util.Locale.ROOT) : null;
      }
      if ((len & 0xC0) != 0 || i + 1 + len > rdata.length) {
        return null;
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(new String(rdata, i + 1, len, StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    return null;
  }
}
