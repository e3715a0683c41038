package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an access event's URL reads in an alert: tunnels as host:port, requests in full. */
class AccessInputUrlTest {

  @ParameterizedTest(name = "{0} {1} {2}:{3} {4} ?{5} → {6}")
  @CsvSource(nullValues = "null", value = {
    "GET,     http,  www.bet365.com,   80,   /odds,    null,     http://www.bet365.com/odds",
    "GET,     http,  www.google.com,   8080, /search,  q=volcano, http://www.google.com:8080/search?q=volcano",
    "CONNECT, https, www.bet365.com,   443,  '',       null,     www.bet365.com:443",
    "null,    https, vpn.example,      443,  null,     null,     vpn.example:443",
    "GET,     https, www.google.com,   443,  /search,  q=how+to+kill+myself, https://www.google.com/search?q=how+to+kill+myself",
    "GET,     https, intranet.example, 8443, /,        null,     https://intranet.example:8443/",
    "GET,     null,  example.com,      0,    /a,       null,     http://example.com/a",
    "GET,     http,  null,             0,    null,     null,     null",
  })
  void urlsReadAsPeopleTypedThem(String method, String scheme, String host, int port, String path, String query,
      String expected) {
    assertThat(AccessInput.url(method, scheme, host, port, path, query)).isEqualTo(expected);
  }
}
