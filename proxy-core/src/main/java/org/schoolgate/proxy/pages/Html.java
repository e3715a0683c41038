package org.schoolgate.proxy.pages;

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
