package org.schoolgate.policy.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URL, CONNECT target and host normalisation, with exact messages for bad input. */
class UrlParserTest {

  @ParameterizedTest(name = "{0} → {1}://{2}:{3}{4} ? {5}")
  @CsvSource(delimiter = '|', textBlock = """
      http://example.com/                      | http  | example.com           | 80   | /          | ''
      HTTP://WWW.Example.COM./a/B?x=1#frag     | http  | www.example.com       | 80   | /a/B       | x=1
      https://example.com:8443                 | https | example.com           | 8443 | /          | ''
      http://user:pw@example.com/p             | http  | example.com           | 80   | /p         | ''
      http://evil.test@example.com@good.test/  | http  | good.test             | 80   | /          | ''
      http://[2001:DB8::1]:8080/x              | http  | 2001:db8::1           | 8080 | /x         | ''
      http://[::1]/                            | http  | ::1                   | 80   | /          | ''
      http://bücher.example/ä                  | http  | xn--bcher-kva.example | 80   | /ä         | ''
      example.com                              | http  | example.com           | 80   | /          | ''
      example.com/path?q                       | http  | example.com           | 80   | /path      | q
      http://example.com?q=1                   | http  | example.com           | 80   | /          | q=1
      wss://chat.example.com/socket            | wss   | chat.example.com      | 443  | /socket    | ''
      """)
  void parsesAbsoluteUrlsAndBareHosts(String input, String scheme, String host, int port, String path, String query) {
    assertThat(UrlParser.parse(input)).isEqualTo(new ParsedUrl(scheme, host, port, path, query));
  }

  @ParameterizedTest(name = "CONNECT {0} → {1}:{2}")
  @CsvSource(delimiter = '|', textBlock = """
      example.com:443        | example.com          | 443
      WWW.Example.COM.:443   | www.example.com      | 443
      [2001:db8::1]:443      | 2001:db8::1          | 443
      bücher.example:8443    | xn--bcher-kva.example | 8443
      """)
  void parsesConnectTargets(String target, String host, int port) {
    assertThat(UrlParser.parseConnectTarget(target)).isEqualTo(new ParsedUrl("https", host, port, "", ""));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      example.com             | example.com
      EXAMPLE.com             | example.com
      example.com.            | example.com
      example.com:8080        | example.com
      [::1]                   | ::1
      [2001:DB8::1]:443       | 2001:db8::1
      bücher.example          | xn--bcher-kva.example
      BÜCHER.Example.         | xn--bcher-kva.example
      xn--bcher-kva.example   | xn--bcher-kva.example
      10.0.0.1                | 10.0.0.1
      _dmarc.example.com      | _dmarc.example.com
      """)
  void normalisesHosts(String host, String expected) {
    assertThat(UrlParser.normalizeHost(host)).isEqualTo(expected);
  }

  @Test
  void normalHostIsReturnedAsTheSameInstance() {
    String host = "www.example.com";
    assertThat(UrlParser.normalizeHost(host)).isSameAs(host);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ftp://example.com/              | URL 'ftp://example.com/' has scheme 'ftp' (expected: http, https, ws or wss)
      http:///path                    | URL 'http:///path' has no host (expected: http://host/path)
      http://example.com:99999/       | 'http://example.com:99999/' has port '99999' (expected: a number from 1 to 65535)
      http://example.com:x/           | 'http://example.com:x/' has port 'x' (expected: a number from 1 to 65535)
      http://2001:db8::1/             | 'http://2001:db8::1/' has an IPv6 address without brackets (expected: [v6 address]:port)
      http://exa mple.com/            | host 'exa mple.com' contains ' ' (expected: letters, digits, '-' and '.')
      http://example..com/            | host 'example..com' has an empty label (expected: names separated by single dots)
      http://[::1/                    | 'http://[::1/' has '[' without ']' (expected: [v6 address]:port)
      """)
  void rejectsBadUrlsSayingWhatWasExpected(String url, String message) {
    assertThatThrownBy(() -> UrlParser.parse(url)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void rejectsConnectTargetWithoutPort() {
    assertThatThrownBy(() -> UrlParser.parseConnectTarget("example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CONNECT target 'example.com' has no port (expected: host:port, e.g. example.com:443)");
  }

  @Test
  void rejectsEmptyUrl() {
    assertThatThrownBy(() -> UrlParser.parse(" "))
        .hasMessage("URL is empty (expected: an absolute URL such as http://example.com/ or a host name)");
  }
}
