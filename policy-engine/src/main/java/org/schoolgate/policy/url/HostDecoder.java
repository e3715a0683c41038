package org.schoolgate.policy.url;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The two decoding steps of WHATWG host parsing: percent-decoding to UTF-8 ({@code %62ad.com} →
 * {@code bad.com}; an escape that is not {@code %XX}, or bytes that are not valid UTF-8 such as
 * the overlong {@code %C0%AE}, are errors) and domain-to-ASCII ({@link IDN#toASCII}: Unicode
 * labels to punycode, case folding and compatibility mapping, so {@code ＢＡＤ。com} is
 * {@code bad.com}).
 */
final class HostDecoder {
  private HostDecoder() {}

  static String percentDecode(String host, String original) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(host.length());
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '%') {
        int hi = i + 1 < host.length() ? hexDigit(host.charAt(i + 1)) : -1;
        int lo = i + 2 < host.length() ? hexDigit(host.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("host '" + original
              + "' has a '%' that is not followed by two hex digits (expected: %XX escapes only)");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < host.length()) {
          encoded = host.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(encoded);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("host '" + original
          + "' is not valid UTF-8 once percent-decoded (expected: escapes of UTF-8 bytes)", e);
    }
  }

  static String toAscii(String host, String original) {
    try {
      return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "host '" + original + "' is not a valid international domain name: " + e.getMessage(), e);
    }
  }

  private static int hexDigit(char c) {
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }
}
