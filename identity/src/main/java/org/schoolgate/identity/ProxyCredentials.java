package org.schoolgate.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a {@code Proxy-Authorization} header holds: Basic credentials, a Negotiate token, or a
 * reason it cannot be read. Untrusted input: {@link #parse} never throws and bounds every size.
 *
 * <pre>{@code
 * switch (ProxyCredentials.parse(request.headers().get("Proxy-Authorization"))) {
 *   case ProxyCredentials.Basic b -> verifier.verify(b, client);
 *   case ProxyCredentials.Negotiate n -> verifier.verify(n, client);
 *   case ProxyCredentials.Malformed m -> answer407(m.reason());
 * }
 * }</pre>
 */
public sealed interface ProxyCredentials
    permits ProxyCredentials.Basic, ProxyCredentials.Negotiate, ProxyCredentials.Malformed {

  /** The longest header value read: 64 KiB (Kerberos tickets with a large PAC reach ~48 KiB). */
  int MAX_HEADER_CHARS = 64 * 1024;
  /** The longest Basic user name. */
  int MAX_USER_CHARS = 256;
  /** The longest Basic password. */
  int MAX_PASSWORD_CHARS = 1024;

  /**
   * {@code Basic}: a user name and password (UTF-8, as browsers send them). Holds the password
   * only until it is verified; callers clear it with {@link #clear()}.
   */
  record Basic(String user, char[] password) implements ProxyCredentials {
    /** Overwrites the password. */
    public void clear() {
      Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
      return "Basic[" + user + ", password hidden]";
    }
  }

  /** {@code Negotiate}: an SPNEGO (or raw Kerberos) token. */
  record Negotiate(byte[] token) implements ProxyCredentials {
    @Override
    public String toString() {
      return "Negotiate[" + token.length + " bytes]";
    }
  }

  /**
   * The header cannot be read.
   *
   * @param problem what is wrong, for the metric
   * @param reason a sentence for the 407 page and the log (never contains the credentials)
   */
  record Malformed(Problem problem, String reason) implements ProxyCredentials {}

  /** Why a header could not be read. */
  enum Problem {
    /** No scheme we know, or not base64, or no ':' in Basic. */
    MALFORMED,
    /** Longer than the limits. */
    TOO_LARGE
  }

  /** Reads a header value; never throws. A null or blank value is {@link Malformed}. */
  static ProxyCredentials parse(String header) {
    if (header == null || header.isBlank()) {
      return new Malformed(Problem.MALFORMED, "no credentials were sent");
    }
    if (header.length() > MAX_HEADER_CHARS) {
      return new Malformed(Problem.TOO_LARGE, "the Proxy-Authorization header is " + header.length()
          + " characters long (expected: at most " + MAX_HEADER_CHARS + ")");
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    String value = space < 0 ? "" : h.substring(space + 1).strip();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return new Malformed(Problem.MALFORMED, "the " + scheme + " credentials are not base64");
    }
    if (scheme.equalsIgnoreCase("Negotiate")) {
      return bytes.length == 0
          ? new Malformed(Problem.MALFORMED, "the Negotiate token is empty")
          : new Negotiate(bytes);
    }
    if (!scheme.equalsIgnoreCase("Basic")) {
      return new Malformed(Problem.MALFORMED, "the scheme '" + (scheme.length() > 20 ? scheme.substring(0, 20) : scheme)
          + "' is not offered (expected: Negotiate or Basic)");
    }
    char[] chars;
    try {
      CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      chars = new char[decoded.remaining()];
      decoded.get(chars);
      Arrays.fill(decoded.array(), '\0');
    } catch (CharacterCodingException e) {
      return new Malformed(Problem.MALFORMED, "the Basic credentials are not UTF-8");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    int colon = -1;
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon <= 0) {
      Arrays.fill(chars, '\0');
      return new Malformed(Problem.MALFORMED, colon == 0 ? "the user name is empty" : "the Basic credentials have no ':'");
    }
    if (colon > MAX_USER_CHARS || chars.length - colon - 1 > MAX_PASSWORD_CHARS) {
      Arrays.fill(chars, '\0');
      return new Malformed(Problem.TOO_LARGE, "the user name or password is too long (expected: at most "
          + MAX_USER_CHARS + " and " + MAX_PASSWORD_CHARS + " characters)");
    }
    String user = new String(chars, 0, colon);
    char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
    Arrays.fill(chars, '\0');
    for (int i = 0; i < user.length(); i++) {
      if (Character.isISOControl(user.charAt(i))) {
        Arrays.fill(password, '\0');
        return new Malformed(Problem.MALFORMED, "the user name has a control character");
      }
    }
    return new Basic(user, password);
  }
}
