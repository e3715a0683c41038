package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyConfigTest {

  @Test
  void defaultsListenOn3128WithSaneTimeouts() {
    ProxyConfig c = ProxyConfig.defaults();

    assertThat(c.listen().getPort()).isEqualTo(3128);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(70));
    assertThat(c.maxRequestLineBytes()).isEqualTo(8192);
    assertThat(c.staticHosts()).isEmpty();
    assertThat(c.dnsServers()).isEmpty();
    assertThat(c.hostsFile()).isEqualTo(java.nio.file.Path.of("/etc/hosts"));
  }

  @ParameterizedTest(name = "{0} cores -> {1} loops")
  @org.junit.jupiter.params.provider.CsvSource({"1, 1", "2, 1", "4, 3", "16, 15"})
  void automaticWorkerThreadsLeaveOneCoreToTheRest(int cores, int loops) {
    assertThat(ProxyConfig.defaults().workerThreads()).isZero();
    assertThat(ProxyConfig.automaticWorkerThreads(cores)).isEqualTo(loops);
  }

  @Test
  void constructorWithoutAHostsFileReadsTheSystemOne() {
    ProxyConfig d = ProxyConfig.defaults();
    ProxyConfig c = new ProxyConfig(d.listen(), d.accessLogDir(), d.requestAccessUrl(),
        d.connectTimeout(), d.idleTimeout(), d.maxRequestLineBytes(), d.staticHosts(),
        d.dnsServers());

    assertThat(c).isEqualTo(d);
  }

  @Test
  void staticHostNamesAreNormalised() {
    ProxyConfig c = ProxyConfig.builder()
        .staticHosts(Map.of("School.Test.", InetAddress.getLoopbackAddress())).build();

    assertThat(c.staticHosts()).containsOnlyKeys("school.test");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.listen(null),
            "proxy.listen is null"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.requestAccessUrl("ftp://x/"),
            "proxy.requestAccessUrl: 'ftp://x/'"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.requestAccessUrl(""),
            "proxy.requestAccessUrl is empty"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.connectTimeout(Duration.ZERO),
            "proxy.connectTimeout: PT0S (expected: between PT0.1S and PT5M)"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.idleTimeout(Duration.ofDays(1)),
            "proxy.idleTimeout: PT24H (expected: between PT1S and PT1H)"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.maxRequestLineBytes(10),
            "proxy.maxRequestLineBytes: 10 (expected: 256..1048576"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.dnsServers(
            List.of(InetSocketAddress.createUnresolved("dns.example", 53))),
            "proxy.dnsServers: dns.example"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.workerThreads(-1),
            "proxy.workerThreads: -1 (expected: 0 for automatic, or 1..256)"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.hostsFile(null),
            "proxy.hostsFile is null (expected: a path such as /etc/hosts"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.connections(
            ProxyConfig.Connections.DEFAULTS.withTransport(null, false)),
            "proxy.transport is null (expected: auto, epoll, io_uring or nio)"),
        Arguments.of((UnaryOperator<ProxyConfig.Builder>) b -> b.connections(
            ProxyConfig.Connections.DEFAULTS.withTransport(
                org.schoolgate.proxy.transport.TransportChoice.NIO, true)),
            "proxy.transport: nio cannot accept transparent connections (expected: auto, epoll"
                + " or io_uring with transparent on)"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidSettingsAreRejectedNamingTheFieldAndTheFix(
      UnaryOperator<ProxyConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(ProxyConfig.builder()).build())
        .hasMessageContaining(message);
  }
}
