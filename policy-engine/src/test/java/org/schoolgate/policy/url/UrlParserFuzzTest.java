package org.schoolgate.policy.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link UrlParser} (see {@code docs/fuzzing.md}): whatever the text, each entry point
 * either refuses it with an {@link IllegalArgumentException} that says what was expected, or
 * returns a target that is already canonical: the host is lower-case ASCII that normalises to
 * itself, the path has no dot segments or doubled slashes and normalises to itself, and the URL
 * written back from the parts parses to the same parts.
 *
 * <p>The input is the text as UTF-8, or, when its first byte is {@code 0xFE}, the rest as UTF-16
 * (so lone surrogates and every BMP character can appear). The seeds in
 * {@code UrlParserFuzzTestInputs/} are plain text.
 */
class UrlParserFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void everyUrlParsesToACanonicalTargetOrAClearError(byte[] input) {
    String text = FuzzText.of(input);
    try {
      checkUrl(text, UrlParser.parse(text));
    } catch (IllegalArgumentException e) {
      checkMessage(text, e);
    }
    try {
      ParsedUrl target = UrlParser.parseConnectTarget(text);
      checkHost(text, target.host());
      assertThat(target.path()).isEmpty();
      assertThat(target.query()).isEmpty();
    } catch (IllegalArgumentException e) {
      checkMessage(text, e);
    }
    try {
      checkHost(text, UrlParser.normalizeHost(text));
    } catch (IllegalArgumentException e) {
      checkMessage(text, e);
    }
    String path = UrlParser.normalizePath(text);
    checkPath(text, path);
  }

  private static void checkUrl(String input, ParsedUrl url) {
    assertThat(url.scheme()).as("scheme of %s", quoted(input)).isIn("http", "https", "ws", "wss");
    checkHost(input, url.host());
    checkPath(input, url.path());
    assertThat(url.mixedScript()).as("look-alike flag of %s", quoted(input))
        .isEqualTo(UrlParser.isMixedScript(url.host()));
    // The trailing '#' keeps spaces and controls at the end of the path or query, which the
    // parser would otherwise trim as surrounding the URL (as they did not in the input, where a
    // fragment followed them).
    String written = url.scheme() + "://" + (url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host())
        + ":" + url.port() + url.pathAndQuery() + "#";
    ParsedUrl again;
    try {
      again = UrlParser.parse(written);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(quoted(input) + " parsed to " + url + ", whose URL " + quoted(written)
          + " does not parse: " + e.getMessage(), e);
    }
    assertThat(again).as("%s parsed to %s, written back as %s", quoted(input), url, quoted(written))
        .isEqualTo(url);
  }

  private static void checkHost(String input, String host) {
    assertThat(host).as("host of %s", quoted(input)).isNotEmpty();
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
      if (!ok) {
        fail("host of %s is %s: '%s' is not lower-case ASCII", quoted(input), quoted(host), c);
      }
    }
    boolean ipv6 = host.indexOf(':') >= 0;
    if (!ipv6) {
      assertThat(UrlParser.isNormalDomain(host)).as("host %s of %s is normal", quoted(host), quoted(input)).isTrue();
    }
    String again;
    try {
      again = UrlParser.normalizeHost(ipv6 ? "[" + host + "]" : host);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("host " + quoted(host) + " of " + quoted(input) + " does not normalise: "
          + e.getMessage(), e);
    }
    assertThat(again).as("host %s of %s normalised again", quoted(host), quoted(input)).isEqualTo(host);
  }

  private static void checkPath(String input, String path) {
    assertThat(path).as("path of %s", quoted(input)).startsWith("/");
    assertThat(path).as("path of %s", quoted(input)).doesNotContain("//").doesNotContain("\\")
        .doesNotEndWith("/.").doesNotEndWith("/..").doesNotContain("/./").doesNotContain("/../");
    assertThat(UrlParser.normalizePath(path)).as("path %s of %s normalised again", quoted(path), quoted(input))
        .isEqualTo(path);
  }

  private static void checkMessage(String input, IllegalArgumentException e) {
    assertThat(e.getMessage()).as("message for %s", quoted(input)).isNotBlank().contains("expected");
  }

  private static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** The fuzzer's bytes as text: UTF-8, or UTF-16 after a leading 0xFE. */
  static final class FuzzText {
    private FuzzText() {}

    static String of(byte[] input) {
      if (input.length > 0 && (input[0] & 0xff) == 0xFE) {
        return new String(input, 1, input.length - 1, StandardCharsets.UTF_16BE);
      }
      return new String(input, StandardCharsets.UTF_8);
    }
  }
}
