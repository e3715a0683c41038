package org.schoolgate.proxy.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.Scriptable;

/**
 * The generated PAC file is valid JavaScript and gives the right answers: evaluated with Rhino
 * beside the PAC helper functions browsers provide ({@code isPlainHostName}, {@code dnsDomainIs},
 * {@code isInNet} for address literals — written here after the PAC specification, as a
 * browser's runtime would have them). Values that would break out of the script are refused.
 */
class PacFileTest {
  /** The browser-provided helpers the file uses, for literals only (no DNS in a test). */
  private static final String PAC_RUNTIME = """
      function isPlainHostName(host) { return host.indexOf('.') < 0; }
      function dnsDomainIs(host, domain) {
        return host.length >= domain.length
            && host.substring(host.length - domain.length) == domain;
      }
      function ipToLong(ip) {
        var p = ip.split('.');
        return ((+p[0]) * 16777216) + ((+p[1]) * 65536) + ((+p[2]) * 256) + (+p[3]);
      }
      function isInNet(host, pattern, mask) {
        if (!/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) { throw 'isInNet would resolve ' + host; }
        var m = ipToLong(mask);
        return (ipToLong(host) & m) >>> 0 == (ipToLong(pattern) & m) >>> 0;
      }
      """;

  private static final PacSettings SCHOOL = new PacSettings(
      List.of("filter1.school.test:3128", "10.0.0.6:8080"),
      List.of("school.test", "*.intranet.example", "VLE.Other.Example"),
      List.of("10.0.0.0/8", "192.168.0.0/16", "203.0.113.128/25"));

  @Test
  void intranetNamesAndNetworksGoDirectEverythingElseToTheNodesInOrder() {
    String pac = PacFile.render(SCHOOL, "unused:1");
    String nodes = "PROXY filter1.school.test:3128; PROXY 10.0.0.6:8080";

    assertThat(find(pac, "http://printer/", "printer")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://school.test/", "school.test")).isEqualTo("DIRECT");
    assertThat(find(pac, "https://vle.school.test/", "vle.school.test")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://a.b.intranet.example/", "a.b.intranet.example")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://vle.other.example/", "VLE.OTHER.EXAMPLE")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://10.20.30.40/", "10.20.30.40")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://192.168.1.1/", "192.168.1.1")).isEqualTo("DIRECT");
    assertThat(find(pac, "http://203.0.113.200/", "203.0.113.200")).isEqualTo("DIRECT");
    // near misses go through the filter
    assertThat(find(pac, "http://notschool.test/", "notschool.test")).isEqualTo(nodes);
    assertThat(find(pac, "http://school.test.evil.example/", "school.test.evil.example"))
        .isEqualTo(nodes);
    assertThat(find(pac, "http://203.0.113.5/", "203.0.113.5")).isEqualTo(nodes);
    assertThat(find(pac, "http://11.0.0.1/", "11.0.0.1")).isEqualTo(nodes);
    assertThat(find(pac, "https://www.bet365.com/", "www.bet365.com")).isEqualTo(nodes);
  }

  @Test
  void withoutNodesThePacNamesTheProxyItWasFetchedFromAndNeverDirectAsAFallback() {
    String pac = PacFile.render(PacSettings.DEFAULTS, "10.1.1.5:3128");

    assertThat(find(pac, "http://example.com/", "example.com")).isEqualTo("PROXY 10.1.1.5:3128");
    assertThat(find(pac, "http://intranet/", "intranet")).isEqualTo("DIRECT");
    assertThat(pac).doesNotContain("isInNet").doesNotContain("; DIRECT");
  }

  @Test
  void valuesThatAreNotPlainNamesNetworksOrPortsAreRefusedWithTheField() {
    assertThatThrownBy(() -> new PacSettings(List.of("evil\";alert(1);\":3128"), List.of(),
        List.of())).hasMessageStartingWith("proxy.pac.proxies[0]: 'evil\"")
        .hasMessageContaining("expected: host:port");
    assertThatThrownBy(() -> new PacSettings(List.of("filter:99999"), List.of(), List.of()))
        .hasMessage("proxy.pac.proxies[0]: 'filter:99999' has port 99999 (expected: 1..65535)");
    assertThatThrownBy(() -> new PacSettings(List.of(), List.of("ok.test", "bad name"), List.of()))
        .hasMessageStartingWith("proxy.pac.direct[1]: 'bad name' is not a host name");
    assertThatThrownBy(() -> new PacSettings(List.of(), List.of(), List.of("fd00::/8")))
        .hasMessage("proxy.pac.direct-networks[0]: 'fd00::/8' (expected: an IPv4 network such as"
            + " 10.0.0.0/8)");
    assertThatThrownBy(() -> new PacSettings(List.of(), List.of(), List.of("10.0.0.0/33")))
        .hasMessageContaining("direct-networks[0]");
  }

  @Test
  void masksFollowThePrefixLength() {
    assertThat(PacFile.mask(0)).isEqualTo("0.0.0.0");
    assertThat(PacFile.mask(8)).isEqualTo("255.0.0.0");
    assertThat(PacFile.mask(25)).isEqualTo("255.255.255.128");
    assertThat(PacFile.mask(32)).isEqualTo("255.255.255.255");
  }

  /** FindProxyForURL(url, host) of {@code pac}, run by Rhino. */
  static String find(String pac, String url, String host) {
    Context cx = Context.enter();
    try {
      cx.setOptimizationLevel(-1);
      Scriptable scope = cx.initStandardObjects();
      cx.evaluateString(scope, PAC_RUNTIME, "pac-runtime", 1, null);
      cx.evaluateString(scope, pac, "proxy.pac", 1, null);
      Function f = (Function) scope.get("FindProxyForURL", scope);
      return Context.toString(f.call(cx, scope, scope, new Object[] {url, host}));
    } finally {
      Context.exit();
    }
  }
}
