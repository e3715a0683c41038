package org.schoolgate.proxy.pages;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for HTML text and attributes, and query-string encoding. */
public final class Html {
  private Html() {}

  /** {@code s} safe in HTML text and in quoted attribute values. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    escapeInto(sb, s);
    return sb.toString();
  }

  private static final byte[] LT = ascii("&lt;");
  private static final byte[] GT = ascii("&gt;");
  private static final byte[] AMP = ascii("&amp;");
  private static final byte[] QUOT = ascii("&quot;");
  private static final byte[] APOS = ascii("&#39;");

  /**
   * Appends {@code s} escaped as {@link #escape} does, UTF-8 encoded, to {@code out}: runs of
   * plain characters are encoded in place (the escaped characters are ASCII, so a run never
   * splits a surrogate pair).
   */
  static void escapeInto(ByteBuf out, String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      byte[] entity;
      switch (s.charAt(i)) {
        case '<' -> entity = LT;
        case '>' -> entity = GT;
        case '&' -> entity = AMP;
        case '"' -> entity = QUOT;
        case '\'' -> entity = APOS;
        default -> entity = null;
      }
      if (entity != null) {
        if (run < i) {
          ByteBufUtil.writeUtf8(out, s, run, i);
        }
        out.writeBytes(entity);
        run = i + 1;
      }
    }
    if (run < s.length()) {
      ByteBufUtil.writeUtf8(out, s, run, s.length());
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static void escapeInto(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
  }

  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
