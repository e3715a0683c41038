package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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
 * <p>State is fixed: the first {@link #SNIFF} bytes while the charset is not known, an 8 KiB byte
 * window and an 8 KiB character window; nothing grows with the body.
 */
final class TextDecoder {
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

  private final ContentScan scan;
  private final boolean html;
  private final Charset declared;
  private final ByteBuffer in = ByteBuffer.allocate(WINDOW);
  private final CharBuffer out = CharBuffer.allocate(WINDOW);
  private byte[] sniff = new byte[SNIFF];
  private int sniffed;
  private CharsetDecoder decoder;
  /** The first characters, raw, for an alert's excerpt (null: none kept). */
  private final StringBuilder excerpt;
  private final int excerptMax;

  /**
   * @param contentType the response's {@code Content-Type}, or null
   * @param html whether a {@code <meta>} charset is looked for
   * @param excerptChars how many of the first characters to keep for an excerpt (0: none)
   */
  TextDecoder(ContentScan scan, String contentType, boolean html, int excerptChars) {
    this.scan = scan;
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

  /** Reads {@code bytes} (consumed). */
  void feed(ByteBuf bytes) {
    if (decoder == null) {
      int n = Math.min(bytes.readableBytes(), SNIFF - sniffed);
      bytes.readBytes(sniff, sniffed, n);
      sniffed += n;
      if (sniffed < SNIFF && (html || declared == null)) {
        return; // a BOM or a <meta> may still be in what follows
      }
      start();
    }
    decode(bytes);
  }

  /** The body ended: decodes what is pending and flushes the scan's last word. */
  void end() {
    if (decoder == null) {
      start();
    }
    step(true);
    decoder.flush(out);
    emit();
    scan.end();
  }

  private void start() {
    decoder = choose().newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    byte[] first = sniff;
    int n = sniffed;
    sniff = null;
    int from = bomLength(first, n);
    int i = from;
    while (i < n) {
      int k = Math.min(in.remaining(), n - i);
      in.put(first, i, k);
      i += k;
      step(false);
    }
  }

  private void decode(ByteBuf bytes) {
    while (bytes.isReadable()) {
      int k = Math.min(in.remaining(), bytes.readableBytes());
      bytes.readBytes(in.array(), in.arrayOffset() + in.position(), k);
      in.position(in.position() + k);
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
    if (out.hasRemaining()) {
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

  /** {@code charset=} in a Content-Type header, or null. */
  static Charset charsetParameter(String contentType) {
    if (contentType == null) {
      return null;
    }
    int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
    return at < 0 ? null : named(contentType, at + "charset=".length());
  }

  /** A {@code charset=} or {@code charset="} in the first bytes of an HTML page, or null. */
  static Charset metaCharset(byte[] b, int n) {
    String head = new String(b, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int meta = head.indexOf("<meta");
    while (meta >= 0) {
      int end = head.indexOf('>', meta);
      String tag = head.substring(meta, end < 0 ? head.length() : end);
      int at = tag.indexOf("charset");
      if (at >= 0) {
        int eq = tag.indexOf('=', at);
        if (eq > 0) {
          Charset c = named(tag, eq + 1);
          if (c != null) {
            return c;
          }
        }
      }
      meta = head.indexOf("<meta", meta + 5);
    }
    return null;
  }

  private static Charset named(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == '\'' || text.charAt(i) == ' ')) {
      i++;
    }
    int j = i;
    while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '-'
        || text.charAt(j) == '_')) {
      j++;
    }
    String name = text.substring(i, j).toLowerCase(Locale.ROOT);
    return KNOWN.get(name);
  }
}
