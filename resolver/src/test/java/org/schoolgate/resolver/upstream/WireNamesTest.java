package org.schoolgate.resolver.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireNamesTest {

  /** A message: 12 header bytes, then "example.test" at offset 12, then an SOA RDATA built by {@code rdata}. */
  private static ByteBuf message(byte[] rdata) {
    ByteBuf b = Unpooled.buffer();
    b.writeZero(12);
    b.writeByte(7).writeBytes("example".getBytes(StandardCharsets.US_ASCII));
    b.writeByte(4).writeBytes("test".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
    b.writeBytes(rdata);
    return b;
  }

  @Test
  void soaNamesPointingElsewhereInTheMessageAreWrittenOut() {
    ByteBuf rdata = Unpooled.buffer();
    rdata.writeByte(3).writeBytes("ns1".getBytes(StandardCharsets.US_ASCII)).writeShort(0xC00C);
    rdata.writeShort(0xC00C); // rname: just the zone
    rdata.writeInt(1).writeInt(2).writeInt(3).writeInt(4).writeInt(5);
    byte[] r = new byte[rdata.readableBytes()];
    rdata.readBytes(r);
    ByteBuf m = message(r);
    int start = 12 + 14;

    byte[] soa = WireNames.soa(m, start, m.writerIndex());

    ByteBuf expected = Unpooled.buffer();
    expected.writeByte(3).writeBytes("ns1".getBytes(StandardCharsets.US_ASCII));
    expected.writeByte(7).writeBytes("example".getBytes(StandardCharsets.US_ASCII));
    expected.writeByte(4).writeBytes("test".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
    expected.writeByte(7).writeBytes("example".getBytes(StandardCharsets.US_ASCII));
    expected.writeByte(4).writeBytes("test".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
    expected.writeInt(1).writeInt(2).writeInt(3).writeInt(4).writeInt(5);
    byte[] e = new byte[expected.readableBytes()];
    expected.readBytes(e);
    assertThat(soa).isEqualTo(e);
  }

  @Test
  void pointerLoopsAndNamesRunningPastTheRecordAreRefused() {
    ByteBuf loop = Unpooled.buffer();
    loop.writeZero(12);
    loop.writeShort(0xC00C); // points at itself
    assertThatThrownBy(() -> WireNames.copyName(loop, 12, 14, Unpooled.buffer()))
        .isInstanceOf(CorruptedFrameException.class).hasMessage("compression pointers loop");

    ByteBuf cut = Unpooled.buffer();
    cut.writeByte(5).writeBytes("abcde".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
    assertThatThrownBy(() -> WireNames.copyName(cut, 0, 4, Unpooled.buffer()))
        .isInstanceOf(CorruptedFrameException.class).hasMessage("name runs past its record");

    ByteBuf shortSoa = message(new byte[] {0, 0, 1, 2, 3});
    assertThatThrownBy(() -> WireNames.soa(shortSoa, 26, shortSoa.writerIndex()))
        .isInstanceOf(CorruptedFrameException.class).hasMessage("SOA record: 3 bytes after the names (expected: 20)");
  }

  @Test
  void aPtrTargetIsEncodedInFull() {
    assertThat(WireNames.encode("host.example.")).containsExactly(4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p',
        'l', 'e', 0);
    assertThat(WireNames.encode(".")).containsExactly(0);
  }
}
