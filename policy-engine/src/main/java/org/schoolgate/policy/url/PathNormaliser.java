package org.schoolgate.policy.url;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Puts a URL path into one canonical spelling so that a {@code urls} prefix matches however the
 * path was written:
 *
 * <ul>
 *   <li>{@code \} is {@code /} (browsers treat it so for http and https);
 *   <li>escapes of unreserved characters are decoded ({@code /gam%65s} → {@code /games},
 *       {@code %2e} → {@code .}); escapes of valid UTF-8 sequences become the characters
 *       ({@code %C3%A4} → {@code ä}); every other escape is kept with upper-case hex
 *       ({@code %2f} → {@code %2F}, so an encoded slash never splits a segment);
 *   <li>a {@code %} not followed by two hex digits is written {@code %25}; overlong or invalid
 *       UTF-8 ({@code %C0%AE}) stays encoded, so it never turns into {@code .} or {@code /};
 *       decoding happens once ({@code %252e} stays {@code %252E});
 *   <li>repeated slashes collapse ({@code //a///b} → {@code /a/b}), as most servers read them;
 *   <li>{@code .} and {@code ..} segments (also written {@code %2e}, {@code .%2E}) are resolved,
 *       never above the root.
 * </ul>
 *
 * A path that is already canonical is returned as the same instance.
 */
final class PathNormaliser {
  private PathNormaliser() {}

  static String normalise(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    if (isCanonical(path)) {
      return path;
    }
    String decoded = decode(path);
    return resolveSegments(decoded);
  }

  private static boolean isCanonical(String path) {
    if (path.charAt(0) != '/') {
      return false;
    }
    char prev = '/'; // path[0], so a leading "//" is seen too
    int segmentStart = 1;
    for (int i = 1; i <= path.length(); i++) {
      char c = i == path.length() ? '/' : path.charAt(i);
      if (c == '%' || c == '\\' || (c == '/' && prev == '/' && i < path.length())) {
        return false;
      }
      if (c == '/') {
        int len = i - segmentStart;
        if ((len == 1 && path.charAt(segmentStart) == '.')
            || (len == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.')) {
          return false;
        }
        segmentStart = i + 1;
      }
      prev = c;
    }
    return true;
  }

  private static String decode(String path) {
    StringBuilder out = new StringBuilder(path.length() + 1);
    if (path.charAt(0) != '/' && path.charAt(0) != '\\') {
      out.append('/');
    }
    int n = path.length();
    int i = 0;
    while (i < n) {
      char c = path.charAt(i);
      if (c == '\\') {
        out.append('/');
        i++;
      } else if (c != '%') {
        out.append(c);
        i++;
      } else if (hex(path, i + 1) < 0 || hex(path, i + 2) < 0) {
        out.append("%25");
        i++;
      } else {
        i = escape(path, i, out);
      }
    }
    return out.toString();
  }

  /** Handles the escape at {@code i} (valid %XX); returns the index after what it consumed. */
  private static int escape(String path, int i, StringBuilder out) {
    int b = hex(path, i + 1) * 16 + hex(path, i + 2);
    if (b < 0x80) {
      char c = (char) b;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        appendEscape(out, b);
      }
      return i + 3;
    }
    int length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
    if (length > 0 && i + 3 * length <= path.length()) {
      byte[] bytes = new byte[length];
      boolean all = true;
      for (int k = 0; k < length; k++) {
        int at = i + 3 * k;
        if (path.charAt(at) != '%' || hex(path, at + 1) < 0 || hex(path, at + 2) < 0) {
          all = false;
          break;
        }
        bytes[k] = (byte) (hex(path, at + 1) * 16 + hex(path, at + 2));
      }
      if (all) {
        String decoded = strictUtf8(bytes);
        if (decoded != null) {
          out.append(decoded);
          return i + 3 * length;
        }
      }
    }
    appendEscape(out, b);
    return i + 3;
  }

  private static String strictUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static void appendEscape(StringBuilder out, int b) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
  }

  private static int hex(String s, int i) {
    if (i >= s.length()) {
      return -1;
    }
    char c = s.charAt(i);
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }

  private static String resolveSegments(String path) {
    String[] segments = path.substring(1).split("/", -1);
    String[] kept = new String[segments.length];
    int size = 0;
    boolean trailingSlash = false;
    for (int k = 0; k < segments.length; k++) {
      String seg = segments[k];
      boolean last = k == segments.length - 1;
      if (seg.equals("..")) {
        if (size > 0) {
          size--;
        }
        trailingSlash = last;
      } else if (seg.equals(".")) {
        trailingSlash = last;
      } else if (seg.isEmpty()) {
        trailingSlash = last && size > 0;
      } else {
        kept[size++] = seg;
        trailingSlash = false;
      }
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int k = 0; k < size; k++) {
      out.append('/').append(kept[k]);
    }
    if (size == 0 || trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }
}
