package org.schoolgate.policy.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way of writing a URL that issue 3 lists, read the way a browser (WHATWG URL) reads it,
 * so that none of them slips past a block.
 */
class WhatwgNormalisationTest {

  @ParameterizedTest(name = "{0} → host {1}")
  @CsvSource(delimiter = '|', textBlock = """
      HTTP://BAD.COM/                          | bad.com
      http://Bad.Com./                         | bad.com
      http://bad.com:80/                       | bad.com
      http://bad.com:/                         | bad.com
      http://bad.com:0080/                     | bad.com
      http://good.com@bad.com/                 | bad.com
      http://good.com:pw@bad.com:8080/         | bad.com
      http:\\\\bad.com\\games                  | bad.com
      http:/\\bad.com/                         | bad.com
      http:bad.com/                            | bad.com
      http://bad.com\\@good.com/               | bad.com
      '  http://bad.com/  '                    | bad.com
      'http://ba\td.com/'                      | bad.com
      http://%62ad.com/                        | bad.com
      http://%42%41%44.com/                    | bad.com
      http://bad%2Ecom/                        | bad.com
      http://3232235777/                       | 192.168.1.1
      http://0xC0A80101/                       | 192.168.1.1
      http://0xC0.0xA8.1.1/                    | 192.168.1.1
      http://0XC0.0Xa8.0x1.0x1/                | 192.168.1.1
      http://0300.0250.1.1/                    | 192.168.1.1
      http://0300.0250.0401/                   | 192.168.1.1
      http://192.168.257/                      | 192.168.1.1
      http://192.11010305/                     | 192.168.1.1
      http://127.1/                            | 127.0.0.1
      http://127.0.0.1./                       | 127.0.0.1
      http://0x/                               | 0.0.0.0
      http://[2001:DB8:0:0:0:0:0:1]/           | 2001:db8::1
      http://[2001:0db8::0001]/                | 2001:db8::1
      http://[0:0:0:0:0:0:0:1]/                | ::1
      http://[1:0:0:2:0:0:0:3]/                | 1:0:0:2::3
      http://[1:0:2:0:3:0:4:5]/                | 1:0:2:0:3:0:4:5
      http://[1::]/                            | 1::
      http://[::]/                             | ::
      http://[::ffff:192.168.1.1]/             | 192.168.1.1
      http://[::FFFF:C0A8:101]/                | 192.168.1.1
      http://[::192.168.1.1]/                  | ::c0a8:101
      http://[64:ff9b::192.0.2.33]/            | 64:ff9b::c000:221
      http://bücher.example/                   | xn--bcher-kva.example
      http://BÜCHER.example/                   | xn--bcher-kva.example
      http://xn--bcher-kva.example/            | xn--bcher-kva.example
      http://XN--BCHER-KVA.example/            | xn--bcher-kva.example
      http://b%C3%BCcher.example/              | xn--bcher-kva.example
      http://bad。com/                         | bad.com
      http://ＢＡＤ．ｃｏｍ/                   | bad.com
      http://bad｡com/                          | bad.com
      http://straße.de/                        | xn--strae-oqa.de
      http://xn--strae-oqa.de/                 | xn--strae-oqa.de
      http://faß.de/                           | xn--fa-hia.de
      http://FAẞ.de/                           | xn--fa-hia.de
      http://ΣΟΦΟΣ.gr/                         | xn--0xaakcn.gr
      http://σοφοσ.gr/                         | xn--0xaakcn.gr
      http://σοφος.gr/                         | xn--0xaajbq.gr
      http://ПРИМЕР.РФ/                        | xn--e1afmkfd.xn--p1ai
      http://ÄBC.de/                           | xn--bc-uia.de
      http://ｅｘａｍｐｌｅ．ｃｏｍ/            | example.com
      http://ｂüｃｈｅｒ．example/             | xn--bcher-kva.example
      http://ex\u00ADample.com/                | example.com
      http://\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.ir/ | xn--mgbn2ecje63gr19l.ir
      http://\u0915\u094D\u200D\u0937.in/     | xn--11b2ezcw70k.in
      http://💩.la/                            | xn--ls8h.la
      http://xn--ls8h.la/                      | xn--ls8h.la
      http://مثال.آزمایشی/                     | xn--mgbh0fb.xn--hgbk6aj7f53bba
      http://例え.テスト/                      | xn--r8jz45g.xn--zckzah
      http://ab--cd.com/                       | ab--cd.com
      http://-ab-.com/                         | -ab-.com
      http://XN--Bcher-KVA.example/            | xn--bcher-kva.example
      http://www.XN--STRAE-OQA.de./            | www.xn--strae-oqa.de
      """)
  void readsTheHostAsABrowserWould(String url, String host) {
    assertThat(UrlParser.parse(url.replace("\\t", "\t")).host()).isEqualTo(host);
  }

  @ParameterizedTest(name = "{0} → path {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://a.com/games/                      | /games/
      http://a.com/gam%65s/                    | /games/
      http://a.com/GAM%45S/                    | /GAMES/
      http://a.com//games///x                  | /games/x
      http://a.com//games/x                    | /games/x
      http://a.com//                           | /
      http://a.com\\games\\x                   | /games/x
      http://a.com/x/../games/                 | /games/
      http://a.com/x/%2e%2e/games/             | /games/
      http://a.com/x/%2E%2e/games/             | /games/
      http://a.com/x/.%2E/games/               | /games/
      http://a.com/./games/.                   | /games/
      http://a.com/../../games                 | /games
      http://a.com/games/..                    | /
      http://a.com/a%2fb                       | /a%2Fb
      http://a.com/a%2Fb/..                    | /
      http://a.com/%7euser                     | /~user
      http://a.com/%zz%4                       | /%25zz%254
      http://a.com/100%                        | /100%25
      http://a.com/%252e%252e/                 | /%252e%252e/
      http://a.com/%C0%AE%C0%AE/x              | /%C0%AE%C0%AE/x
      http://a.com/%c3%a4                      | /ä
      http://a.com/ä                           | /ä
      http://a.com/%e2%82                      | /%E2%82
      http://a.com                             | /
      http://a.com?q=%2e                       | /
      """)
  void normalisesThePathToOneSpelling(String url, String path) {
    assertThat(UrlParser.parse(url).path()).isEqualTo(path);
  }

  @Test
  void keepsTheQueryAsSent() {
    assertThat(UrlParser.parse("http://a.com/x?a=%2e%2E&b=\\").query()).isEqualTo("a=%2e%2E&b=\\");
  }

  @Test
  void normalisesListPathPrefixesTheSameWay() {
    assertThat(UrlParser.normalizePath("/gam%65s/")).isEqualTo("/games/");
    assertThat(UrlParser.normalizePath("games/")).isEqualTo("/games/");
    String canonical = "/games/";
    assertThat(UrlParser.normalizePath(canonical)).isSameAs(canonical);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://%zzbad.com/       | host '%zzbad.com' has a '%' that is not followed by two hex digits (expected: %XX escapes only)
      http://bad.com%/         | host 'bad.com%' has a '%' that is not followed by two hex digits (expected: %XX escapes only)
      http://%C0%AEbad.com/    | host '%C0%AEbad.com' is not valid UTF-8 once percent-decoded (expected: escapes of UTF-8 bytes)
      http://%FFbad.com/       | host '%FFbad.com' is not valid UTF-8 once percent-decoded (expected: escapes of UTF-8 bytes)
      http://bad%20.com/       | host 'bad%20.com' contains ' ' (expected: letters, digits, '-' and '.')
      http://bad%00.com/       | host 'bad%00.com' contains '\\u0000' (expected: letters, digits, '-' and '.')
      http://bad%2fx.com/      | host 'bad%2fx.com' contains '/' (expected: letters, digits, '-' and '.')
      http://bad<x>.com/       | host 'bad<x>.com' contains '<' (expected: letters, digits, '-' and '.')
      http://bad^.com/         | host 'bad^.com' contains '^' (expected: letters, digits, '-' and '.')
      http://4294967296/       | host '4294967296' has IPv4 part '4294967296' out of range (expected: at most 4294967295)
      http://99999999999/      | host '99999999999' has IPv4 part '99999999999' out of range (expected: at most 4294967295)
      http://256.1.1.1/        | host '256.1.1.1' has IPv4 part '256' = 256 (expected: 0 to 255)
      http://1.1.1.256/        | host '1.1.1.256' has IPv4 part '256' = 256 (expected: below 256)
      http://192.168.65536/    | host '192.168.65536' has IPv4 part '65536' = 65536 (expected: below 65536)
      http://1.2.3.4.5/        | host '1.2.3.4.5' ends in a number but has 5 parts (expected: an IPv4 address of at most 4 parts, or a name)
      http://08.1.1.1/         | host '08.1.1.1' has IPv4 part '08' (expected: a decimal, 0x hex or 0-prefixed octal number)
      http://0xg.1/            | host '0xg.1' has IPv4 part '0xg' (expected: a decimal, 0x hex or 0-prefixed octal number)
      http://bad.com.123/      | host 'bad.com.123' has IPv4 part 'bad' (expected: a decimal, 0x hex or 0-prefixed octal number)
      http://1..1/             | host '1..1' has an empty IPv4 part (expected: numbers separated by single dots)
      http://[1:2:3:4:5:6:7:8:9]/ | host '[1:2:3:4:5:6:7:8:9]' is not an IPv6 address: it has more than 8 pieces (expected: e.g. [2001:db8::1])
      http://[1::2::3]/        | host '[1::2::3]' is not an IPv6 address: it has '::' twice (expected: e.g. [2001:db8::1])
      http://[1:2:3]/          | host '[1:2:3]' is not an IPv6 address: it has fewer than 8 pieces and no '::' (expected: e.g. [2001:db8::1])
      http://[:1::]/           | host '[:1::]' is not an IPv6 address: it starts with a single ':' (expected: e.g. [2001:db8::1])
      http://[1:]/             | host '[1:]' is not an IPv6 address: it ends with a single ':' (expected: e.g. [2001:db8::1])
      http://[12345::]/        | host '[12345::]' is not an IPv6 address: '5' is not allowed (expected: hex digits and ':', e.g. [2001:db8::1])
      http://[::1.2.3.256]/    | host '[::1.2.3.256]' is not an IPv6 address: it has an IPv4 part above 255 (expected: e.g. [2001:db8::1])
      http://[::1.2.3]/        | host '[::1.2.3]' is not an IPv6 address: it has an IPv4 part that is not 4 decimal numbers (expected: e.g. [2001:db8::1])
      http://[]/               | host '[]' has an empty IPv6 address (expected: e.g. [::1])
      http:///bad.com/         | URL 'http:///bad.com/' has no host (expected: http://host/path)
      http://good.com@/        | URL 'http://good.com@/' has no host (expected: http://host/path)
      """)
  void rejectsBadHostsSayingWhatWasExpected(String url, String message) {
    assertThatThrownBy(() -> UrlParser.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message.replace("\\\\", "\\"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://xn--.com/                       | an xn-- label does not decode to a label that encodes back to it
      http://xn--a.com/                      | an xn-- label does not decode to a label that encodes back to it
      http://xn--zz-.com/                    | an xn-- label does not decode to a label that encodes back to it
      http://xn--a-ecp.ru/                   | an xn-- label does not decode to a label that encodes back to it
      http://www.XN--A-ECP.ru./              | an xn-- label does not decode to a label that encodes back to it
      http://xn--ab--cd.com/                 | an xn-- label is not valid punycode
      http://xn--ü.com/                      | an xn-- label is not valid punycode
      http://a\u200Cb.com/                   | a zero-width joiner or non-joiner stands where the joiner rules do not allow it
      http://a\u200Db.com/                   | a zero-width joiner or non-joiner stands where the joiner rules do not allow it
      http://\uD83D\uDC68\u200D\uD83D\uDC69.com/ | a zero-width joiner or non-joiner stands where the joiner rules do not allow it
      http://a\u05D0.com/                    | a label breaks the Bidi rule
      http://\u0661\u0645\u062B\u0627\u0644.com/ | a label breaks the Bidi rule
      http://\u0301a.com/                    | a label starts with a combining mark
      """)
  void refusesHostsBrowsersRefuse(String url, String problem) {
    String host = url.substring("http://".length(), url.length() - 1);
    assertThatThrownBy(() -> UrlParser.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host '" + host + "' is not a valid international domain name: " + problem)
        .hasMessageEndingWith("(expected: a name browsers accept, in Unicode or as valid xn-- punycode)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"xn--.com", "xn--a.com", "www.xn--a-ecp.ru", "xn--ab--cd.com"})
  void anInvalidPunycodeHostIsNotNormalAndDoesNotNormalise(String host) {
    assertThat(UrlParser.isNormalDomain(host)).isFalse();
    assertThatThrownBy(() -> UrlParser.normalizeHost(host)).isInstanceOf(IllegalArgumentException.class);
    assertThat(UrlParser.isMixedScript(host)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"%", "%%", "%0", "http://%", "http://[", "http://[%]/", "http://a.com:%/",
      "http://\uD800.com/", "http://\uDFFF/", "http://[::ffff:999.1.1.1]/", "http://xn--/",
      "http://a\u0000b/", "http://\u0085/", "\\\\\\", "http://@@@/", "::", "[", "]", "http://[::]:/",
      "http://a.b:99999999999999/", "http://0xffffffffffffffffffffffffffffffffffffffff/",
      "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/",
      "http://ünïcödé-ünïcödé-ünïcödé-ünïcödé-ünïcödé-ünïcödé-ünïcödé-ünïcödé.com/"})
  void oddInputIsAnErrorNeverACrash(String url) {
    try {
      ParsedUrl parsed = UrlParser.parse(url);
      assertThat(parsed.host()).isNotEmpty();
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @ParameterizedTest(name = "CONNECT {0} → {1}:{2}")
  @CsvSource(delimiter = '|', textBlock = """
      BAD.com.:443                  | bad.com      | 443
      %62ad.com:443                 | bad.com      | 443
      3232235777:443                | 192.168.1.1  | 443
      [2001:db8:0::1]:8443          | 2001:db8::1  | 8443
      [::ffff:c0a8:101]:443         | 192.168.1.1  | 443
      xn--bcher-kva.example:443     | xn--bcher-kva.example | 443
      """)
  void normalisesConnectTargetsTheSameWay(String target, String host, int port) {
    assertThat(UrlParser.parseConnectTarget(target)).isEqualTo(new ParsedUrl("https", host, port, "", ""));
  }

  @ParameterizedTest(name = "CONNECT {0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      [2001:db8::1]     | CONNECT target '[2001:db8::1]' has no port (expected: host:port, e.g. example.com:443)
      bad.com:          | 'bad.com:' has port '' (expected: a number from 1 to 65535)
      [::1]x:443        | '[::1]x:443' has 'x:443' after the IPv6 address (expected: ':port' or nothing)
      good.com@bad.com:443 | host 'good.com@bad.com' contains '@' (expected: letters, digits, '-' and '.')
      3232235777        | CONNECT target '3232235777' has no port (expected: host:port, e.g. example.com:443)
      """)
  void rejectsConnectTargetsWithoutAUsablePort(String target, String message) {
    assertThatThrownBy(() -> UrlParser.parseConnectTarget(target)).hasMessage(message);
  }

  @ParameterizedTest(name = "{0} mixed script: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://example.com/                  | false
      http://bücher.example/               | false
      http://пример.рф/                    | false
      http://пример.com/                   | false
      http://pаypal.com/                   | true
      http://xn--pypal-4ve.com/            | true
      http://аpple.com/                    | true
      http://東京タワー.jp/                 | false
      http://ｇｏｏｇｌｅ.com/             | false
      http://αβγabc.com/                   | true
      http://раураl.com/                   | true
      http://ехаmрlе.com/                  | true
      """)
  void flagsLabelsThatMixScripts(String url, boolean mixed) {
    assertThat(UrlParser.parse(url).mixedScript()).isEqualTo(mixed);
  }

  @ParameterizedTest(name = "{0} look-alike: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://аррӏе.com/                    | true
      http://xn--80ak6aa92e.com/           | true
      http://www.аррӏе.com/                | true
      http://ѕсоре.org/                    | true
      http://сухое.com/                    | true
      http://gıthub.com/                   | true
      http://ɡoogle.com/                   | true
      http://ıı.com/                       | true
      http://սսս.com/                      | true
      http://e\u0301\u0301\u0301.com/      | true
      http://сухое.рф/                     | false
      http://аррӏе.рф/                     | false
      http://сухое.ru/                     | false
      http://пример.рф/                    | false
      http://xn--e1afmkfd.xn--p1ai/        | false
      http://правительство.рф/             | false
      http://почта.рус/                    | false
      http://例え.jp/                      | false
      http://例え.テスト/                  | false
      http://中国.com/                     | false
      http://한국.kr/                      | false
      http://مثال.آزمایشی/                 | false
      http://κόσμος.gr/                    | false
      http://մասնակից.am/                  | false
      http://straße.de/                    | false
      http://café.fr/                      | false
      http://łódź.pl/                      | false
      http://💩.la/                        | false
      """)
  void flagsWholeScriptLookAlikesButNotOrdinaryNames(String url, boolean lookAlike) {
    assertThat(UrlParser.parse(url).mixedScript()).isEqualTo(lookAlike);
  }

  @ParameterizedTest(name = "{0} is already normal")
  @ValueSource(strings = {"example.com", "10.0.0.1", "255.255.255.255", "a-b_c.example", "xn--bcher-kva.example"})
  void alreadyNormalHostsAreReturnedAsTheSameInstance(String host) {
    assertThat(UrlParser.isNormalDomain(host)).isTrue();
    assertThat(UrlParser.normalizeHost(host)).isSameAs(host);
  }

  @ParameterizedTest(name = "{0} is not normal yet")
  @ValueSource(strings = {"3232235777", "127.1", "010.0.0.1", "0x7f.0.0.1", "1.2.3.4.5", "a.0x1", "256.1.1.1"})
  void numericHostsInAnotherSpellingAreNotTakenAsNormal(String host) {
    assertThat(UrlParser.isNormalDomain(host)).isFalse();
  }

  @Test
  void aUnicodeHostAndItsPunycodeAreTheSameHost() {
    assertThat(UrlParser.normalizeHost("bücher.example"))
        .isEqualTo(UrlParser.normalizeHost("xn--bcher-kva.example"))
        .isEqualTo(UrlParser.normalizeHost("B%C3%9Ccher.example."));
    assertThat(UrlParser.normalizeHost("straße.de"))
        .isEqualTo(UrlParser.normalizeHost("XN--STRAE-OQA.DE"))
        .isEqualTo(UrlParser.normalizeHost("stra%C3%9Fe.de"))
        .isEqualTo("xn--strae-oqa.de")
        .isNotEqualTo(UrlParser.normalizeHost("strasse.de"));
  }
}
