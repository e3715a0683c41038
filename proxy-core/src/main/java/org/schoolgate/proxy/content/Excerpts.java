package org.schoolgate.proxy.content;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.policy.content.TextFormat;

/**
 * The start of a body as a person would read it, for an alert's excerpt: tags dropped from HTML,
 * the text values of a chat tool's JSON or event stream joined. Runs once per alert, not per
 * piece (it allocates freely).
 */
final class Excerpts {
  private static final Pattern TAG = Pattern.compile("(?s)<(script|style)\\b.*?</\\1\\s*>|<[^>]*>");
  private static final Pattern TEXT_VALUE = Pattern.compile(
      "\"(?:content|text|parts|prompt|message|delta|response|answer|query|input)\"\\s*:\\s*\\[?\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private Excerpts() {}

  static String readable(String raw, TextFormat format, int max) {
    String text;
    if (format == TextFormat.HTML) {
      text = TAG.matcher(raw).replaceAll(" ");
    } else if (format == TextFormat.PLAIN) {
      text = raw;
    } else {
      StringBuilder b = new StringBuilder();
      Matcher m = TEXT_VALUE.matcher(raw);
      while (m.find()) {
        b.append(unescape(m.group(1)));
      }
      text = b.length() == 0 ? raw : b.toString();
    }
    text = SPACE.matcher(text).replaceAll(" ").strip();
    return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "\u2026";
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n', 'r', 't' -> b.append(' ');
        case 'u' -> {
          if (i + 4 < s.length()) {
            try {
              b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            } catch (NumberFormatException e) {
              b.append('?');
            }
            i += 4;
          }
        }
        default -> b.append(n);
      }
    }
    return b.toString();
  }
}
