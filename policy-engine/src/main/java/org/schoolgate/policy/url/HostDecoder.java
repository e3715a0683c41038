package org.schoolgate.policy.url;

import com.ibm.icu.text.IDNA;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The two decoding steps of WHATWG host parsing: percent-decoding to UTF-8 ({@code %62ad.com} →
 * {@code bad.com}; an escape that is not {@code %XX}, or bytes that are not valid UTF-8 such as
 * the overlong {@code %C0%AE}, are errors) and WHATWG "domain to ASCII": UTS #46 as browsers apply
 * it, through ICU.
 *
 * <p>Domain to ASCII maps (case folding, full-width forms and dots, so {@code ＢＡＤ。com} is
 * {@code bad.com}; soft hyphens vanish), then checks and encodes each label as punycode:
 * nontransitional processing ({@code straße.de} is {@code xn--strae-oqa.de}, as browsers send it,
 * not IDNA2003's {@code strasse.de}), the Bidi rule (CheckBidi) and the joiner rules for ZWJ/ZWNJ
 * (CheckJoiners) apply; hyphen positions ({@code ab--cd}, CheckHyphens), STD3 ASCII rules and DNS
 * lengths are not checked, as in WHATWG (the parser limits lengths itself). An {@code xn--} label
 * is decoded and must be a valid label whose encoding is itself.
 */
final class HostDecoder {
  private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
      | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

  /** Errors WHATWG's settings do not check (CheckHyphens=false, VerifyDnsLength=false). */
  private static final Set<IDNA.Error> NOT_CHECKED = EnumSet.of(IDNA.Error.HYPHEN_3_4,
      IDNA.Error.LEADING_HYPHEN, IDNA.Error.TRAILING_HYPHEN, IDNA.Error.EMPTY_LABEL,
      IDNA.Error.LABEL_TOO_LONG, IDNA.Error.DOMAIN_NAME_TOO_LONG);

  /** The errors reported, most telling first (the first one present is named). */
  private static final List<IDNA.Error> REPORTED = List.of(IDNA.Error.PUNYCODE,
      IDNA.Error.INVALID_ACE_LABEL, IDNA.Error.BIDI, IDNA.Error.CONTEXTJ,
      IDNA.Error.LEADING_COMBINING_MARK, IDNA.Error.DISALLOWED, IDNA.Error.LABEL_HAS_DOT);

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

  /**
   * WHATWG domain to ASCII: lower case, labels in punycode. Throws IllegalArgumentException
   * naming the problem for a host browsers refuse.
   */
  static String toAscii(String host, String original) {
    StringBuilder out = new StringBuilder(host.length() + 16);
    IDNA.Info info = new IDNA.Info();
    UTS46.nameToASCII(host, out, info);
    check(info, original);
    return out.toString();
  }

  /**
   * The Unicode form of {@code host} (its {@code xn--} labels decoded). Throws
   * IllegalArgumentException naming the problem when a label is not valid.
   */
  static String toUnicode(String host, String original) {
    StringBuilder out = new StringBuilder(host.length());
    IDNA.Info info = new IDNA.Info();
    UTS46.nameToUnicode(host, out, info);
    check(info, original);
    return out.toString();
  }

  private static void check(IDNA.Info info, String original) {
    if (!info.hasErrors()) {
      return;
    }
    Set<IDNA.Error> errors = EnumSet.copyOf(info.getErrors());
    errors.removeAll(NOT_CHECKED);
    if (errors.isEmpty()) {
      return;
    }
    IDNA.Error first = REPORTED.stream().filter(errors::contains).findFirst().orElse(null);
    throw new IllegalArgumentException("host '" + original + "' is not a valid international domain name: "
        + (first == null ? "UTS #46 reports " + errors : describe(first))
        + " (expected: a name browsers accept, in Unicode or as valid xn-- punycode)");
  }

  private static String describe(IDNA.Error error) {
    switch (error) {
      case PUNYCODE:
        return "an xn-- label is not valid punycode";
      case INVALID_ACE_LABEL:
        return "an xn-- label does not decode to a label that encodes back to it";
      case BIDI:
        return "a label breaks the Bidi rule (right-to-left letters mixed with left-to-right ones,"
            + " or a right-to-left label starting or ending with the wrong character)";
      case CONTEXTJ:
        return "a zero-width joiner or non-joiner stands where the joiner rules do not allow it";
      case LEADING_COMBINING_MARK:
        return "a label starts with a combining mark";
      case DISALLOWED:
        return "it contains a character that is not allowed in host names";
      default:
        return "a label contains a dot";
    }
  }

  private static int hexDigit(char c) {
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }
}
