package org.schoolgate.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.resolver.testing.DnsTestClient.A;
import static org.schoolgate.resolver.testing.DnsTestClient.TXT;
import static org.schoolgate.resolver.testing.ResolverHarness.OTHER_PUPIL;
import static org.schoolgate.resolver.testing.ResolverHarness.PUPIL;

import io.netty.handler.codec.dns.DnsResponseCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.resolver.metrics.ResolverMetrics;
import org.schoolgate.resolver.testing.DnsTestClient.Reply;
import org.schoolgate.resolver.testing.ResolverHarness;
import org.schoolgate.resolver.testing.UpstreamStandIn;

/** Forwarding: the cache, TTLs, questions in flight, failing upstreams, truncation and TCP. */
class UpstreamEndToEndTest {
  @TempDir Path dir;
  private ResolverHarness h;
  private UpstreamStandIn second;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  void answersAreCachedByNameAndTypeUntilTheirTtlRunsOut() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.address("cached.example.test", "192.0.2.1", 120);

    Reply first = h.client(PUPIL).udp("cached.example.test", A);
    h.ticker.advance(Duration.ofSeconds(50));
    Reply second = h.client(OTHER_PUPIL).udp("CACHED.example.test.", A);
    h.ticker.advance(Duration.ofSeconds(71));
    Reply third = h.client(PUPIL).udp("cached.example.test", A);

    assertThat(first.answers().get(0).ttl()).isEqualTo(120);
    assertThat(second.answers().get(0).ttl()).isEqualTo(70); // what is left, from the cache
    assertThat(second.data()).containsExactly("A 192.0.2.1");
    assertThat(third.answers().get(0).ttl()).isEqualTo(120); // expired: asked again
    assertThat(h.upstream.asked("cached.example.test")).isEqualTo(2);
    assertThat(h.linesFor("cached.example.test")).extracting(l -> l.get("answer"))
        .containsExactly("upstream", "cache", "upstream");
    assertThat(h.count(ResolverMetrics.CACHE, "result", "hit")).isEqualTo(1);
  }

  @Test
  void ttlsAreFlooredAndCapped() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.address("short.example.test", "192.0.2.2", 1).address("long.example.test", "192.0.2.3", 86_400);

    assertThat(h.client(PUPIL).udp("short.example.test", A).answers().get(0).ttl()).isEqualTo(5);
    assertThat(h.client(PUPIL).udp("long.example.test", A).answers().get(0).ttl()).isEqualTo(300);
  }

  @Test
  void anUpstreamNxdomainKeepsItsSoaWithTheNamesWrittenOut() throws Exception {
    h = ResolverHarness.start(dir);

    Reply r = h.client(PUPIL).udp("nowhere.example.test", A);

    assertThat(r.rcode()).isEqualTo("NXDOMAIN");
    // the stand-in compressed the SOA's names against the question; the client gets them whole
    assertThat(r.authority()).singleElement().satisfies(soa -> {
      assertThat(soa.data()).isEqualTo("ns1.nowhere.example.test. hostmaster.nowhere.example.test. 45");
      assertThat(soa.ttl()).isEqualTo(45); // the SOA's TTL (900) capped by the negative-answer lifetime
    });
    Reply again = h.client(PUPIL).udp("nowhere.example.test", A);
    assertThat(again.rcode()).isEqualTo("NXDOMAIN");
    assertThat(h.upstream.asked("nowhere.example.test")).isEqualTo(1);
  }

  @Test
  void questionsAlreadyInFlightAreAskedOnce() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.address("slow.example.test", "192.0.2.4", 60).hold("slow.example.test");

    CompletableFuture<Reply> one = CompletableFuture.supplyAsync(() -> ask(PUPIL, "slow.example.test"));
    CompletableFuture<Reply> two = CompletableFuture.supplyAsync(() -> ask(OTHER_PUPIL, "slow.example.test"));
    Eventually.within(Duration.ofSeconds(10), () ->
        assertThat(h.count(ResolverMetrics.CACHE, "result", "joined")).isEqualTo(1));
    h.upstream.release("slow.example.test");

    assertThat(one.get().data()).containsExactly("A 192.0.2.4");
    assertThat(two.get().data()).containsExactly("A 192.0.2.4");
    assertThat(h.upstream.asked("slow.example.test")).isEqualTo(1);
  }

  private Reply ask(String from, String name) {
    try {
      return h.client(from).udp(name, A);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anUpstreamThatIsDownGivesServfailAndTheNextUpstreamIsAsked() throws Exception {
    second = new UpstreamStandIn().address("up.example.test", "192.0.2.5", 60);
    h = ResolverHarness.start(dir, c -> c.withQueryTimeout(Duration.ofMillis(300)), AddressBindings.NONE);
    h.upstream.silent(true);

    Reply down = h.client(PUPIL).udp("up.example.test", A);

    assertThat(down.rcode()).isEqualTo("SERVFAIL");
    assertThat(h.linesFor("up.example.test").get(0)).containsEntry("action", "allow").containsEntry("answer", "servfail")
        .containsEntry("rcode", "SERVFAIL");
    assertThat((String) h.linesFor("up.example.test").get(0).get("reason")).contains("timed out");
    assertThat(h.count(ResolverMetrics.UPSTREAM_FAILURES, "reason", "timeout")).isEqualTo(1);
    h.close();

    h = null;

    try (UpstreamStandIn silent = new UpstreamStandIn().silent(true)) {
      h = ResolverHarness.start(dir.resolve("two"), c -> c.withQueryTimeout(Duration.ofMillis(300))
          .withUpstreams(List.of(silent.address(), second.address())), AddressBindings.NONE);
      assertThat(h.client(PUPIL).udp("up.example.test", A).data()).containsExactly("A 192.0.2.5");
      assertThat(silent.asked("up.example.test")).isEqualTo(1);
    }
  }

  @Test
  void upstreamServfailAndRefusedMoveOnAndAreNeverCached() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.address("flaky.example.test", "192.0.2.6", 60).failWith(DnsResponseCode.SERVFAIL);

    assertThat(h.client(PUPIL).udp("flaky.example.test", A).rcode()).isEqualTo("SERVFAIL");
    h.upstream.failWith(null);
    assertThat(h.client(PUPIL).udp("flaky.example.test", A).data()).containsExactly("A 192.0.2.6");
    assertThat(h.count(ResolverMetrics.UPSTREAM_FAILURES, "reason", "servfail")).isEqualTo(1);
  }

  @Test
  void aLargeAnswerComesOverTcpFromTheUpstreamAndIsTruncatedForUdpClientsWhoRetryOverTcp() throws Exception {
    h = ResolverHarness.start(dir);
    h.upstream.bigTxt("big.example.test", 8); // about 2 KB: more than 1232 bytes

    Reply udp = h.client(PUPIL).udp("big.example.test", TXT);
    Reply tcp = h.client(PUPIL).tcp("big.example.test", TXT);

    // the resolver's own UDP question came back truncated; Netty asked again over TCP
    assertThat(h.upstream.questions()).containsExactly("udp big.example.test TXT", "tcp big.example.test TXT");
    assertThat(udp.truncated()).isTrue();
    assertThat(udp.answers()).isEmpty();
    assertThat(udp.additional()).extracting(r -> r.type()).containsExactly("OPT");
    assertThat(tcp.truncated()).isFalse();
    assertThat(tcp.answers()).hasSize(8);
    assertThat(h.count(ResolverMetrics.TRUNCATED)).isEqualTo(1);
    // a client without EDNS gets at most 512 bytes
    h.upstream.address("medium.example.test", "192.0.2.9", 60).bigTxt("medium.example.test", 3);
    assertThat(h.client(PUPIL).udpWithoutEdns("medium.example.test", TXT).truncated()).isTrue();
    assertThat(h.client(PUPIL).resolve("medium.example.test", TXT).answers()).hasSize(3);
  }
}
