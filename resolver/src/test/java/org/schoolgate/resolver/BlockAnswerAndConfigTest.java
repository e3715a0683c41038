package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockAnswerAndConfigTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "nxdomain                     | nxdomain",
      "NXDOMAIN                     | nxdomain",
      "address 10.0.0.5             | address 10.0.0.5",
      "address  fd00::5             | address fd00:0:0:0:0:0:0:5",
      "address fd00::5 10.0.0.5     | address 10.0.0.5 fd00:0:0:0:0:0:0:5",
  })
  void blockAnswersAreReadFromTheirConfigText(String text, String read) {
    assertThat(BlockAnswer.parse(text).text()).isEqualTo(read);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "refuse                       | 'refuse' is not a block answer",
      "address                      | 'address' is not a block answer",
      "address block.school.example | 'address block.school.example': 'block.school.example' is not an IP address",
      "address 10.0.0.5 10.0.0.6    | 'address 10.0.0.5 10.0.0.6' names two addresses of one family",
      "address 10.0.0.5 fd00::5 x   | 'address 10.0.0.5 fd00::5 x' is not a block answer",
  })
  void aBadBlockAnswerSaysWhatWasExpected(String text, String message) {
    assertThatThrownBy(() -> BlockAnswer.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message + " (expected: nxdomain, or address followed by an IPv4 and/or an IPv6 address of the"
            + " block-page listener, such as 'address 10.0.0.5' or 'address 10.0.0.5 fd00::5')");
  }

  @Test
  void theEmbeddedDefaultIsLoopbackPort8053WithNxdomain() {
    DnsFilterConfig c = DnsFilterConfig.embeddedDefault();
    assertThat(c.listen()).containsExactly(new InetSocketAddress("127.0.0.1", 8053));
    assertThat(c.upstreams()).isEmpty();
    assertThat(c.blockAnswer()).isEqualTo(BlockAnswer.NXDOMAIN);
    assertThat(c.rateLimit()).isEqualTo(DnsFilterConfig.RateLimit.DEFAULT);
    assertThat(c.withPort(0).listen()).containsExactly(new InetSocketAddress("127.0.0.1", 0));
  }

  @Test
  void anUpstreamThatIsTheResolverItselfIsRefused() {
    DnsFilterConfig c = DnsFilterConfig.embeddedDefault().withListen(List.of(new InetSocketAddress("0.0.0.0", 53)));
    assertThatThrownBy(() -> c.withUpstreams(List.of(new InetSocketAddress("127.0.0.1", 53))))
        .hasMessage("dns-filter.upstreams: 127.0.0.1:53 is this resolver itself (listen 0.0.0.0:53), which would"
            + " forward queries in a circle (expected: the school's DNS servers, such as the domain controllers,"
            + " or the ISP's)");
    assertThat(c.withUpstreams(List.of(new InetSocketAddress("10.0.0.2", 53))).upstreams()).hasSize(1);
  }

  @Test
  void badValuesNameTheFieldAndTheRange() {
    DnsFilterConfig c = DnsFilterConfig.embeddedDefault();
    assertThatThrownBy(() -> c.withListen(List.of()))
        .hasMessage("dns-filter.listen is empty (expected: at least one IP:PORT such as 127.0.0.1:8053 or 0.0.0.0:53)");
    assertThatThrownBy(() -> c.withCacheSize(-1))
        .hasMessage("dns-filter.cache-size: -1 (expected: 0..10000000; 0 turns the cache off)");
    assertThatThrownBy(() -> c.withTtls(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(60)))
        .hasMessage("dns-filter.min-ttl 600s is longer than max-ttl 300s (expected: min-ttl <= max-ttl)");
    assertThatThrownBy(() -> c.withQueryTimeout(Duration.ofMillis(10)))
        .hasMessage("dns-filter.query-timeout: 10ms (expected: between 50ms and 30s)");
    assertThatThrownBy(() -> new DnsFilterConfig.RateLimit(-1, 10))
        .hasMessage("dns-filter.rate-limit.per-second: -1 (expected: 0..1000000; 0 turns the limit off)");
    assertThatThrownBy(() -> c.withUpstreams(List.of(new InetSocketAddress("10.0.0.2", 53),
        new InetSocketAddress("10.0.0.2", 53))))
        .hasMessage("dns-filter.upstreams: 10.0.0.2:53 appears twice (expected: each address once)");
  }
}
