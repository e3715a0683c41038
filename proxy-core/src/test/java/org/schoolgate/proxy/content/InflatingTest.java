package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gzip and deflate framing read by {@link Inflating} (the JDK's inflater, no channel), in pieces
 * cut anywhere: gzip's optional header fields, a second member, bytes after the last, a trailer
 * that does not match; zlib-wrapped and raw deflate; a bomb in one piece; the pooled inflater
 * reused after a failure.
 */
class InflatingTest {
  private static final byte[] TEXT = ("<p>the school trip to the science museum leaves at nine</p>".repeat(400))
      .getBytes(StandardCharsets.UTF_8);

  private static byte[] decode(boolean gzip, byte[] body, int piece) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Inflating in = Inflating.take(gzip);
    try {
      for (int i = 0; i < body.length; i += piece) {
        ByteBuf b = Unpooled.wrappedBuffer(body, i, Math.min(piece, body.length - i));
        in.feed(b, plain -> {
          byte[] bytes = new byte[plain.readableBytes()];
          plain.getBytes(plain.readerIndex(), bytes);
          out.writeBytes(bytes);
        });
        assertThat(b.readerIndex()).as("not consumed").isZero();
      }
    } finally {
      in.close();
    }
    return out.toByteArray();
  }

  /**
   * The inflater reads each piece in place whatever holds it: a heap array at an offset, pooled
   * direct memory, a composite of two buffers (read through a view).
   */
  @ParameterizedTest(name = "{0} pieces of {1} bytes")
  @CsvSource({"heap-offset, 7", "heap-offset, 1000", "direct, 1", "direct, 333", "composite, 2", "composite, 500"})
  void readsPiecesInPlaceWhateverHoldsThem(String kind, int piece) {
    byte[] body = gzipWithAllFields(TEXT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Inflating in = Inflating.take(true);
    try {
      for (int i = 0; i < body.length; i += piece) {
        int n = Math.min(piece, body.length - i);
        ByteBuf b = switch (kind) {
          case "heap-offset" -> {
            byte[] padded = new byte[n + 10];
            System.arraycopy(body, i, padded, 5, n);
            yield Unpooled.wrappedBuffer(padded, 5, n);
          }
          case "direct" -> io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(body, i, n);
          default -> Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(body, i, n / 2),
              Unpooled.directBuffer(n - n / 2).writeBytes(body, i + n / 2, n - n / 2));
        };
        try {
          in.feed(b, plain -> {
            byte[] bytes = new byte[plain.readableBytes()];
            plain.getBytes(plain.readerIndex(), bytes);
            out.writeBytes(bytes);
          });
          assertThat(b.readerIndex()).as("not consumed").isZero();
        } finally {
          b.release();
        }
      }
    } finally {
      in.close();
    }
    assertThat(out.toByteArray()).isEqualTo(TEXT);
  }

  private static byte[] deflate(byte[] text, boolean raw) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
    d.setInput(text);
    d.finish();
    byte[] buf = new byte[text.length + 64];
    int n = d.deflate(buf);
    d.end();
    return java.util.Arrays.copyOf(buf, n);
  }

  /** A gzip member with every optional header field: extra, name, comment, header CRC. */
  private static byte[] gzipWithAllFields(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
    out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
    out.writeBytes("page.html\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(new byte[] {0x12, 0x34}); // not checked
    out.writeBytes(deflate(text, true));
    CRC32 crc = new CRC32();
    crc.update(text);
    long c = crc.getValue();
    out.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
        (byte) text.length, (byte) (text.length >> 8), (byte) (text.length >> 16), (byte) (text.length >> 24)});
    return out.toByteArray();
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @CsvSource({"1", "2", "3", "7", "100", "100000"})
  void gzipAndBothKindsOfDeflateDecodeHoweverTheBodyIsCut(int piece) {
    assertThat(decode(true, Corpus.gzip(TEXT), piece)).isEqualTo(TEXT);
    assertThat(decode(true, gzipWithAllFields(TEXT), piece)).isEqualTo(TEXT);
    assertThat(decode(false, deflate(TEXT, false), piece)).as("zlib-wrapped").isEqualTo(TEXT);
    assertThat(decode(false, deflate(TEXT, true), piece)).as("raw").isEqualTo(TEXT);
    byte[] two = concat(Corpus.gzip(TEXT), Corpus.gzip("<p>and back at four</p>".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(decode(true, two, piece), StandardCharsets.UTF_8)).as("a second member follows on")
        .endsWith("</p><p>and back at four</p>");
    assertThat(decode(true, concat(Corpus.gzip(TEXT), new byte[] {0, 0, 0, 9}), piece)).as("bytes after: ignored")
        .isEqualTo(TEXT);
  }

  @Test
  void aWrongHeaderOrTrailerOrABombFailsAndThePooledInflaterServesTheNextBody() {
    assertThatThrownBy(() -> decode(true, "not gzip".getBytes(StandardCharsets.UTF_8), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not gzip");
    byte[] badCrc = Corpus.gzip(TEXT);
    badCrc[badCrc.length - 6] ^= 1;
    assertThatThrownBy(() -> decode(true, badCrc, 100)).hasMessageContaining("CRC or length");
    byte[] bomb = Corpus.gzip(new byte[Decompression.MAX_ALLOCATION + 1024]);
    assertThatThrownBy(() -> decode(true, bomb, bomb.length)).hasMessageContaining("decompression bomb");
    assertThat(decode(true, bomb, 1024).length).as("the same bytes in pieces: no one piece is a bomb")
        .isEqualTo(Decompression.MAX_ALLOCATION + 1024);

    Inflating first = Inflating.take(true);
    first.close();
    assertThat(Inflating.take(false)).as("taken again from this thread's pool").isSameAs(first);
    assertThat(decode(true, Corpus.gzip(TEXT), 50)).isEqualTo(TEXT);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
