package org.schoolgate.policy.content.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a UTF-8 body's bytes into a {@link TextExtractor} without decoding its ASCII: runs of
 * ASCII bytes go to {@link HtmlText#feedAscii} (an ASCII byte is the character of the same value),
 * runs of other bytes through a UTF-8 decoder into the extractor's character path, as the
 * characters a decoder of the whole body gives (malformed bytes as U+FFFD: a UTF-8 sequence never
 * holds an ASCII byte, so decoding each non-ASCII run on its own gives the same characters). A
 * sequence split between pieces waits in the decoder's 64-byte window. Other extractors get the
 * ASCII bytes widened to characters.
 *
 * <p>The scan limit is kept exactly: {@link #feed} reads at most {@code room} characters, cut
 * where the character path would cut. State is fixed: a 64-byte and a 64-character window.
 */
public final class Utf8Text {
  private static final byte[] NONE = {};
  private final TextExtractor text;
  private final HtmlText html;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer in = ByteBuffer.allocate(64);
  private final CharBuffer out = CharBuffer.allocate(64);
  /** Characters read by the current {@link #feed} call, and how many it may read. */
  private long read;
  private long room;

  public Utf8Text(TextExtractor text) {
    this.text = text;
    this.html = text instanceof HtmlText h ? h : null;
  }

  /**
   * Reads {@code len} bytes of {@code buf} from {@code off}, at most {@code room} characters of
   * them; returns how many characters were read.
   */
  public long feed(byte[] buf, int off, int len, long room) {
    this.read = 0;
    this.room = room;
    int end = off + len;
    int i = off;
    while (i < end && read < this.room) {
      if (buf[i] < 0) {
        int j = i + 1;
        while (j < end && buf[j] < 0) {
          j++;
        }
        decode(buf, i, j, j < end);
        i = j;
      } else {
        if (in.position() > 0) {
          decode(buf, i, i, true); // a sequence cut short by an ASCII byte: U+FFFD
          if (read >= this.room) {
            break;
          }
        }
        int stop = this.room - read >= end - i ? end : i + (int) (this.room - read);
        int j = ascii(buf, i, stop);
        read += j - i;
        i = j;
      }
    }
    return read;
  }

  /** The body ended: a sequence left incomplete reads as U+FFFD (within {@code room}); returns characters read. */
  public long end(long room) {
    this.read = 0;
    this.room = room;
    if (in.position() > 0 && room > 0) {
      decode(NONE, 0, 0, true);
    }
    in.clear();
    decoder.reset();
    return read;
  }

  /** Forgets a pending sequence, for the next body. */
  public void reset() {
    in.clear();
    out.clear();
    decoder.reset();
  }

  private int ascii(byte[] buf, int from, int end) {
    if (html != null) {
      return html.feedAscii(buf, from, end);
    }
    int i = from;
    while (i < end && buf[i] >= 0) {
      int n = 0;
      char[] a = out.array();
      while (i < end && buf[i] >= 0 && n < a.length) {
        a[n++] = (char) buf[i++];
      }
      text.feed(a, 0, n);
    }
    return i;
  }

  /** Decodes bytes {@code [from, to)} after any pending ones; {@code last}: no more bytes of this run follow. */
  private void decode(byte[] buf, int from, int to, boolean last) {
    int i = from;
    do {
      int k = Math.min(in.remaining(), to - i);
      in.put(buf, i, k);
      i += k;
      in.flip();
      boolean done = last && i == to;
      while (true) {
        boolean overflow = decoder.decode(in, out, done).isOverflow();
        emit();
        if (!overflow) {
          break;
        }
      }
      if (done) {
        decoder.flush(out);
        emit();
        decoder.reset();
      }
      in.compact();
    } while (i < to);
  }

  private void emit() {
    out.flip();
    int n = (int) Math.min(out.remaining(), room - read);
    if (n > 0) {
      text.feed(out.array(), out.arrayOffset() + out.position(), n);
      read += n;
    }
    out.clear();
  }
}
