package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.schoolgate.policy.content.ContentScan;

/**
 * A body's bytes (already decompressed) as characters for a {@link ContentScan}, in pieces of any
 * size: a character split across pieces reads as one.
 *
 * <p>The charset, in browsers' order: a byte-order mark, the {@code Content-Type} header's
 * {@code charset}, for HTML a {@code <meta charset>} or {@code <meta http-equiv content="...;
 * charset=...">} in the first {@link #SNIFF} bytes, else UTF-8 (browsers fall back to
 * windows-1252 for old pages; phrase lists are written in UTF-8 scripts, and a Latin-1 page read
 * as UTF-8 still reads its ASCII words). Only the charsets in {@link #KNOWN} are read (the ones
 * schools' languages use); another name reads as UTF-8. Malformed bytes become U+FFFD.
 *
 * <p>A UTF-8 body's bytes go to {@link ContentScan#feedUtf8} undecoded (its ASCII is read as
 * bytes; only the rest is decoded, in the scan), and the decoder here only fills the excerpt.
 *
 * <p>State is fixed: the first {@link #SNIFF} bytes while the charset is not known, two 8 KiB byte
 * windows and an 8 KiB character window ({@link Windows}, taken from and given back to the
 * thread's {@link AnalysisPool} by the {@link BodyAnalysis}); nothing grows with the body, and
 * choosing the charset allocates nothing.
 */
final class TextDecoder implements Decompression.Sink {
  /** How much of an HTML body is looked at for a {@code <meta>} charset. */
  static final int SNIFF = 1024;
  private static final int WINDOW = 8192;
  /** The charsets read by name (resolved once, at class load, off the event loop's first request). */
  static final Map<String, Charset> KNOWN = Map.ofEntries(
      Map.entry("utf-8", StandardCharsets.UTF_8), Map.entry("utf8", StandardCharsets.UTF_8),
      Map.entry("us-ascii", StandardCharsets.US_ASCII), Map.entry("ascii", StandardCharsets.US_ASCII),
      Map.entry("iso-8859-1", StandardCharsets.ISO_8859_1), Map.entry("latin1", StandardCharsets.ISO_8859_1),
      Map.entry("utf-16", StandardCharsets.UTF_16), Map.entry("utf-16le", StandardCharsets.UTF_16LE),
      Map.entry("utf-16be", StandardCharsets.UTF_16BE),
      Map.entry("windows-1252", Charset.forName("windows-1252")),
      Map.entry("windows-1250", Charset.forName("windows-1250")),
      Map.entry("iso-8859-2", Charset.forName("ISO-8859-2")),
      Map.entry("windows-1256", Charset.forName("windows-1256")),
      Map.entry("iso-8859-6", Charset.forName("ISO-8859-6")));
  /** {@link #KNOWN}'s names and charsets as arrays, for look-ups that allocate nothing. */
  private static final String[] NAMES = KNOWN.keySet().toArray(new String[0]);
  private static final Charset[] CHARSETS = java.util.Arrays.stream(NAMES).map(KNOWN::get).toArray(Charset[]::new);

  /**
   * The fixed-size state of a decoder, reused from body to body ({@link AnalysisPool}): the byte
   * and character windows, the first bytes while the charset is not known, and a UTF-8 decoder
   * (the usual charset) plus the last other one used.
   */
  static final class Windows {
    final ByteBuffer in = ByteBuffer.allocate(WINDOW);
    /** A UTF-8 body's bytes on their way to {@link ContentScan#feedUtf8}, undecoded. */
    final byte[] raw = new byte[WINDOW];
    final CharBuffer out = CharBuffer.allocate(WINDOW);
    final byte[] sniff = new byte[SNIFF];
    private final CharsetDecoder utf8 = replacing(StandardCharsets.UTF_8);
    private CharsetDecoder other;

    /** A reset decoder for {@code charset}. */
    CharsetDecoder decoder(Charset charset) {
      CharsetDecoder d;
      if (charset == StandardCharsets.UTF_8) {
        d = utf8;
      } else if (other != null && other.charset() == charset) {
        d = other;
      } else {
        d = other = replacing(charset);
      }
      return d.reset();
    }

    private static CharsetDecoder replacing(Charset c) {
      return c.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
  }

  private final ContentScan scan;
  private final boolean html;
  private final Charset declared;
  private final ByteBuffer in;
  private final CharBuffer out;
  private final byte[] sniff;
  private final Windows windows;
  private int sniffed;
  private CharsetDecoder decoder;
  /** UTF-8: bytes go to the scan undecoded; the decoder only fills the excerpt. */
  private boolean utf8;
  /** The first characters, raw, for an alert's excerpt (null: none kept). */
  private final StringBuilder excerpt;
  private final int excerptMax;

  /**
   * @param windows this body's windows (cleared here; the caller gives them back when the body is done)
   * @param contentType the response's {@code Content-Type}, or null
   * @param html whether a {@code <meta>} charset is looked for
   * @param excerptChars how many of the first characters to keep for an excerpt (0: none)
   */
  TextDecoder(ContentScan scan, Windows windows, String contentType, boolean html, int excerptChars) {
    this.scan = scan;
    this.windows = windows;
    this.in = windows.in.clear();
    this.out = windows.out.clear();
    this.sniff = windows.sniff;
    this.excerptMax = excerptChars;
    this.excerpt = excerptChars > 0 ? new StringBuilder(excerptChars) : null;
    this.html = html;
    this.declared = charsetParameter(contentType);
  }

  /** The charset chosen, or null while the first bytes are still being looked at. */
  Charset charset() {
    return decoder == null ? null : decoder.charset();
  }

  /** The first characters read (raw), or "" when none are kept. */
  String excerpt() {
    return excerpt == null ? "" : excerpt.toString();
  }

  /** Reads {@code bytes} (not consumed: its reader index is left where it was). */
  @Override
  public void accept(ByteBuf bytes) {
    int from = bytes.readerIndex();
    int to = bytes.writerIndex();
    if (decoder == null) {
      int n = Math.min(to - from, SNIFF - sniffed);
      bytes.getBytes(from, sniff, sniffed, n);
      sniffed += n;
      from += n;
      if (sniffed < SNIFF && (html || declared == null)) {
        return; // a BOM or a <meta> may still be in what follows
      }
      start();
    }
    if (utf8) {
      byte[] raw = windows.raw;
      while (from < to) {
        int k = Math.min(raw.length, to - from);
        bytes.getBytes(from, raw, 0, k);
        from += k;
        utf8(raw, 0, k);
      }
      return;
    }
    while (from < to) {
      int k = Math.min(in.remaining(), to - from);
      bytes.getBytes(from, in.array(), in.arrayOffset() + in.position(), k);
      in.position(in.position() + k);
      from += k;
      step(false);
    }
  }

  /** A UTF-8 body's bytes: to the scan as they are, and decoded only while the excerpt wants more. */
  private void utf8(byte[] b, int off, int len) {
    for (int i = off, end = off + len; i < end && excerptWanted(); ) {
      int k = Math.min(in.remaining(), end - i);
      in.put(b, i, k);
      i += k;
      step(false);
    }
    scan.feedUtf8(b, off, len);
  }

  private boolean excerptWanted() {
    return excerpt != null && excerpt.length() < excerptMax;
  }

  /** The body ended: decodes what is pending and flushes the scan's last word. */
  void end() {
    if (decoder == null) {
      start();
    }
    if (!utf8 || excerptWanted()) {
      step(true);
      decoder.flush(out);
      emit();
    }
    scan.end();
  }

  private void start() {
    decoder = windows.decoder(choose());
    utf8 = decoder.charset() == StandardCharsets.UTF_8;
    int n = sniffed;
    int i = bomLength(sniff, n);
    if (utf8) {
      utf8(sniff, i, n - i);
      return;
    }
    while (i < n) {
      int k = Math.min(in.remaining(), n - i);
      in.put(sniff, i, k);
      i += k;
      step(false);
    }
  }

  /** Decodes the byte window into the character window, handing characters on as it fills. */
  private void step(boolean last) {
    in.flip();
    while (true) {
      CoderResult r = decoder.decode(in, out, last);
      emit();
      if (!r.isOverflow()) {
        break;
      }
    }
    in.compact(); // an incomplete character waits for the next piece
  }

  private void emit() {
    out.flip();
    if (excerpt != null && excerpt.length() < excerptMax && out.hasRemaining()) {
      excerpt.append(out.array(), out.arrayOffset() + out.position(),
          Math.min(out.remaining(), excerptMax - excerpt.length()));
    }
    if (out.hasRemaining() && !utf8) {
      scan.feed(out.array(), out.arrayOffset() + out.position(), out.remaining());
    }
    out.clear();
  }

  private Charset choose() {
    Charset bom = bom(sniff, sniffed);
    if (bom != null) {
      return bom;
    }
    if (declared != null) {
      return declared;
    }
    if (html) {
      Charset meta = metaCharset(sniff, sniffed);
      if (meta != null) {
        return meta;
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static Charset bom(byte[] b, int n) {
    if (n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      return StandardCharsets.UTF_8;
    }
    if (n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
      return StandardCharsets.UTF_16BE;
    }
    if (n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static int bomLength(byte[] b, int n) {
    Charset c = bom(b, n);
    return c == null ? 0 : c == StandardCharsets.UTF_8 ? 3 : 2;
  }

  /** {@code charset=} in a Content-Type header, or null. Allocates nothing. */
  static Charset charsetParameter(String contentType) {
    if (contentType == null) {
      return null;
    }
    int n = contentType.length();
    for (int at = 0; at + 8 <= n; at++) {
      if (contentType.regionMatches(true, at, "charset=", 0, 8)) {
        return named(contentType, at + 8, n);
      }
    }
    return null;
  }

  /**
   * A {@code charset=} or {@code charset="} inside a {@code <meta} tag in the first {@code n}
   * bytes of an HTML page, or null. Allocates nothing.
   */
  static Charset metaCharset(byte[] b, int n) {
    int meta = find(b, 0, n, "<meta");
    while (meta >= 0) {
      int end = meta + 5;
      while (end < n && b[end] != '>') {
        end++;
      }
      int at = find(b, meta + 5, end, "charset");
      if (at >= 0) {
        int eq = at + 7;
        while (eq < end && b[eq] != '=') {
          eq++;
        }
        if (eq < end) {
          Charset c = named(b, eq + 1, end);
          if (c != null) {
            return c;
          }
        }
      }
      meta = find(b, end, n, "<meta");
    }
    return null;
  }

  /** Where ASCII {@code word} starts (case-insensitively) in {@code b[from, to)}, or -1. */
  private static int find(byte[] b, int from, int to, String word) {
    int last = to - word.length();
    for (int i = from; i <= last; i++) {
      if (matches(b, i, to, word)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(byte[] b, int at, int to, String word) {
    if (to - at < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      int c = b[at + k];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The known charset named at {@code from} (after quotes and spaces) in a header, or null. */
  private static Charset named(String text, int from, int to) {
    int i = from;
    while (i < to && (text.charAt(i) == '"' || text.charAt(i) == '\'' || text.charAt(i) == ' ')) {
      i++;
    }
    int j = i;
    while (j < to && isNameChar(text.charAt(j))) {
      j++;
    }
    for (int k = 0; k < NAMES.length; k++) {
      if (NAMES[k].length() == j - i && text.regionMatches(true, i, NAMES[k], 0, j - i)) {
        return CHARSETS[k];
      }
    }
    return null;
  }

  /** The known charset named at {@code from} (after quotes and spaces) in a page's first bytes, or null. */
  private static Charset named(byte[] b, int from, int to) {
    int i = from;
    while (i < to && (b[i] == '"' || b[i] == '\'' || b[i] == ' ')) {
      i++;
    }
    int j = i;
    while (j < to && isNameChar((char) (b[j] & 0xff))) {
      j++;
    }
    for (int k = 0; k < NAMES.length; k++) {
      if (NAMES[k].length() == j - i && matches(b, i, j, NAMES[k])) {
        return CHARSETS[k];
      }
    }
    return null;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
