package org.schoolgate.proxy.log.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.proxy.log.AccessEvent;

/** Squid native lines for the cases a parser trips on: CONNECT, users, no decision, odd bytes. */
class SquidFormatTest {
  private static final Instant T = Instant.parse("2026-11-23T12:30:00.250Z");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static AccessEvent event(String user, String method, String scheme, String host, int port, String path,
      String query, String action, int status, long bytesOut, long ms) {
    return new AccessEvent(T, LONDON, "10.1.4.20", user, "pupils", method, scheme, host, port, path, query,
        List.of(), action, "acceptable", "default", null, null, status, 0, bytesOut, ms);
  }

  @Test
  void anAllowedTunnelIsTcpTunnelToHostColonPortTimedAtItsEndWithTheUserAsIdent() {
    String line = SquidFormat.line(event("alex.smith", "CONNECT", "https", "www.bbc.co.uk", 443, "", null, "allow",
        200, 53_211, 1_800));

    assertThat(line).isEqualTo("1795437002.050   1800 10.1.4.20 TCP_TUNNEL/200 53211 CONNECT www.bbc.co.uk:443"
        + " alex.smith HIER_DIRECT/www.bbc.co.uk -");
    SquidLine parsed = SquidLine.parse(line);
    assertThat(parsed.seconds() * 1000 + parsed.millis()).isEqualTo(T.toEpochMilli() + 1_800);
    assertThat(parsed.elapsed()).isEqualTo(1_800);
  }

  @Test
  void userNamesAreEscapedAsSquidDoesSoAFieldNeverSplits() {
    String line = SquidFormat.line(event("SCHOOL\\Mrs O'Neil", "GET", "http", "example.test", 8080, "/a b", "q=1",
        "allow", 200, 5, 3));

    SquidLine parsed = SquidLine.parse(line);
    assertThat(parsed.ident()).isEqualTo("SCHOOL\\Mrs%20O%27Neil");
    assertThat(parsed.url()).isEqualTo("http://example.test:8080/a%20b?q=1");
    assertThat(parsed.elapsed()).isEqualTo(3);
    assertThat(line).contains("      3 10.1.4.20"); // elapsed padded to six columns
  }

  @Test
  void aRequestWithoutADecisionIsNoneWithWhateverIsKnownAndAClosedConnectionStatusZeroIs000() {
    String line = SquidFormat.line(new AccessEvent(T, LONDON, "10.9.9.9", null, null, null, null, null, 0, null, null,
        List.of(), "reject", null, "not-a-client", null, null, 0, 0, 0, 0));

    assertThat(line).isEqualTo("1795437000.250      0 10.9.9.9 NONE/000 0 - - - HIER_NONE/- -");
    assertThat(SquidLine.parse(line).code()).isEqualTo("NONE");
  }
}
