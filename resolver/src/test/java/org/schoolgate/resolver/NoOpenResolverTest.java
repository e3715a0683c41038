package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.resolver.testing.DnsTestClient.A;
import static org.schoolgate.resolver.testing.DnsTestClient.ANY;
import static org.schoolgate.resolver.testing.ResolverHarness.OUTSIDER;
import static org.schoolgate.resolver.testing.ResolverHarness.PUPIL;
import static org.schoolgate.resolver.testing.ResolverHarness.STAFF;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.schoolgate.identity.AddressBindings;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.resolver.limit.TcpConnections;
import org.schoolgate.resolver.metrics.ResolverMetrics;
import org.schoolgate.resolver.testing.DnsTestClient;
import org.schoolgate.resolver.testing.DnsTestClient.Reply;
import org.schoolgate.resolver.testing.ResolverHarness;

/** No open resolver, no amplifier: refusals, rate limits and bad packets, over real sockets. */
class NoOpenResolverTest {
  @TempDir Path dir;
  private ResolverHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aClientOutsideTheAllowedNetworksIsRefusedOverUdpAndTcp() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.address("www.example.test", "192.0.2.7", 60);

    Reply udp = h.client(OUTSIDER).udp("www.example.test", A);
    Reply tcp = h.client(OUTSIDER).tcp("www.example.test", A);

    assertThat(udp.rcode()).isEqualTo("REFUSED");
    assertThat(udp.answers()).isEmpty();
    assertThat(tcp.rcode()).isEqualTo("REFUSED");
    assertThat(h.upstream.asked("www.example.test")).isZero();
    assertThat(h.linesFor("www.example.test").get(0)).containsEntry("client", OUTSIDER).containsEntry("group", null)
        .containsEntry("action", "reject").containsEntry("rule", "dns-not-client").containsEntry("answer", "refused");
  }

  @Test
  void anyQueriesAndZoneTransfersAreRefused() throws Exception {
    h = ResolverHarness.start(dir);

    assertThat(h.client(STAFF).udp("example.test", ANY).rcode()).isEqualTo("REFUSED");
    assertThat(h.client(STAFF).tcp("example.test", 252).rcode()).isEqualTo("REFUSED");
    assertThat(h.upstream.questions()).isEmpty();
    assertThat(h.linesFor("example.test")).extracting(l -> l.get("qtype") + " " + l.get("rule"))
        .containsExactly("ANY dns-any", "AXFR dns-zone-transfer");
    assertThat(h.count(ResolverMetrics.QUERIES, "action", "reject", "qtype", "other")).isEqualTo(2);
  }

  @Test
  void aClientOverItsRateLimitIsDroppedUntilTimeMovesOn() throws Exception {
    h = ResolverHarness.start(dir, c -> c.withRateLimit(new DnsFilterConfig.RateLimit(2, 3)), AddressBindings.NONE);
    h.upstream.address("www.example.test", "192.0.2.7", 60);
    DnsTestClient pupil = h.client(PUPIL);

    for (int i = 0; i < 3; i++) {
      assertThat(pupil.udp("www.example.test", A).rcode()).isEqualTo("NOERROR");
    }
    pupil.sendUdp(DnsTestClient.query(4, "www.example.test", A, true)); // the fourth: dropped
    Eventually.within(Duration.ofSeconds(10), () ->
        assertThat(h.count(ResolverMetrics.QUERIES, "action", "rate-limited", "qtype", "a")).isEqualTo(1));
    // another device is not affected
    assertThat(h.client(STAFF).udp("www.example.test", A).rcode()).isEqualTo("NOERROR");
    h.ticker.advance(Duration.ofMillis(500)); // one interval at 2 per second
    assertThat(pupil.udp("www.example.test", A).rcode()).isEqualTo("NOERROR");
    assertThat(h.linesFor("www.example.test")).hasSize(5); // the dropped one is counted, not logged
  }

  @Test
  void bytesThatAreNoQueryGetFormerrAndResponsesAreNeverAnswered() throws Exception {
    h = ResolverHarness.start(dir);
    DnsTestClient pupil = h.client(PUPIL);
    byte[] garbage = DnsTestClient.query(0x1234, "www.example.test", A, false);
    garbage[5] = 9; // nine questions announced, one present

    Reply formerr = DnsTestClient.decode(pupil.exchangeUdp(garbage));
    byte[] response = DnsTestClient.query(0x4321, "www.example.test", A, false);
    response[2] |= (byte) 0x80; // QR: this is a response
    pupil.sendUdp(response);
    pupil.sendUdp(new byte[] {1, 2, 3});

    assertThat(formerr.id()).isEqualTo(0x1234);
    assertThat(formerr.rcode()).isEqualTo("FORMERR");
    Eventually.within(Duration.ofSeconds(10), () ->
        assertThat(h.count(ResolverMetrics.QUERIES, "action", "malformed", "qtype", "other")).isEqualTo(3));
    // the resolver still answers
    assertThat(pupil.udp("bet.example", A).rcode()).isEqualTo("NXDOMAIN");
  }

  @Test
  void aNonQueryOpcodeIsNotImplemented() throws Exception {
    h = ResolverHarness.start(dir);
    byte[] notify = DnsTestClient.query(7, "example.test", DnsTestClient.SOA, false);
    notify[2] = (byte) (4 << 3); // opcode NOTIFY

    assertThat(DnsTestClient.decode(h.client(PUPIL).exchangeUdp(notify)).rcode()).isEqualTo("NOTIMP");
  }

  @Test
  void oneClientCannotHoldMoreThanItsShareOfTcpConnections() throws Exception {
    h = ResolverHarness.start(dir);
    InetSocketAddress server = h.dns.tcpAddresses().get(0);
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < TcpConnections.MAX_PER_CLIENT; i++) {
        held.add(connect(server, PUPIL));
      }
      // the connections are counted as the loop accepts them; poll until the next one is refused
      Eventually.within(Duration.ofSeconds(10), () -> {
        try (Socket extra = connect(server, PUPIL)) {
          extra.setSoTimeout(5_000);
          assertThatThrownBy(() -> readOrFail(extra.getInputStream()))
              .isInstanceOfAny(EOFException.class, SocketException.class);
        }
      });
      assertThat(h.count(ResolverMetrics.TCP_REFUSED)).isPositive();
      // another client still gets in and is answered
      assertThat(h.client(STAFF).tcp("bet.example", A).rcode()).isEqualTo("NXDOMAIN");
      // a held connection still works
      OutputStream out = held.get(0).getOutputStream();
      byte[] q = DnsTestClient.query(9, "bet.example", A, false);
      out.write(new byte[] {0, (byte) q.length});
      out.write(q);
      out.flush();
      InputStream in = held.get(0).getInputStream();
      held.get(0).setSoTimeout(10_000);
      int length = in.read() << 8 | in.read();
      assertThat(DnsTestClient.decode(in.readNBytes(length)).rcode()).isEqualTo("NXDOMAIN");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static Socket connect(InetSocketAddress server, String from) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(server, 10_000);
    return s;
  }

  private static void readOrFail(InputStream in) throws Exception {
    if (in.read() < 0) {
      throw new EOFException("closed by the resolver");
    }
  }
}
