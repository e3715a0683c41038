package org.schoolgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.Allocations;

/**
 * One loop's pool of idle upstream connections: a connection is found only under exactly what it
 * was made to (address, port, TLS name — a SafeSearch-pinned address is another place than the
 * site's own), taking and giving back allocates nothing, a connection that closes while pooled
 * leaves it, and the pool remembers a bounded number of places however many it has seen.
 */
class LoopPoolTest {
  private static final long SECOND = 1_000_000_000L;

  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private LoopPool pool = new LoopPool(2, 8);

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private Upstream idle(String ip, int port, String serverName) throws Exception {
    Upstream u = new Upstream(new PoolKey(new InetSocketAddress(ip(ip), port), serverName), pool,
        SECOND, SECOND);
    channels.add(new EmbeddedChannel(u));
    u.release(true);
    return u;
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void aConnectionIsFoundOnlyUnderExactlyWhatItWasMadeTo() throws Exception {
    Upstream site = idle("192.0.2.1", 443, "www.google.com");

    assertThat(pool.take(ip("192.0.2.6"), 443, "www.google.com")).as("another address").isNull();
    assertThat(pool.take(ip("192.0.2.1"), 8443, "www.google.com")).as("another port").isNull();
    assertThat(pool.take(ip("192.0.2.1"), 443, "forcesafesearch.google.com")).isNull();
    assertThat(pool.take(ip("192.0.2.1"), 443, null)).as("plain, not TLS").isNull();
    assertThat(pool.take(ip("192.0.2.1"), 443, "www.google.com")).isSameAs(site);
    assertThat(pool.take(ip("192.0.2.1"), 443, "www.google.com")).as("taken once").isNull();
    assertThat(pool.size()).isZero();
  }

  @Test
  void takingAConnectionAndGivingItBackAllocatesNothing() throws Exception {
    idle("192.0.2.1", 80, null);
    idle("192.0.2.1", 443, "www.example.org");
    idle("192.0.2.7", 80, null);
    InetAddress address = ip("192.0.2.1");

    long allocated = Allocations.bytesAllocated(20_000, 100_000, i -> {
      Upstream u = pool.take(address, 443, "www.example.org");
      return pool.offer(u) ? 1 : 0;
    });

    assertThat(allocated).as("bytes allocated by 100,000 take-and-offer rounds").isLessThan(1024);
    assertThat(pool.size()).isEqualTo(3);
  }

  @Test
  void aConnectionThatClosesWhilePooledLeavesThePool() throws Exception {
    Upstream u = idle("192.0.2.1", 80, null);
    idle("192.0.2.1", 80, null);

    u.channel().close();

    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.take(ip("192.0.2.1"), 80, null)).isNotSameAs(u).isNotNull();
  }

  @Test
  void atMostPerKeyIdleConnectionsAreKeptForOnePlace() throws Exception {
    idle("192.0.2.1", 80, null);
    idle("192.0.2.1", 80, null);
    Upstream third = idle("192.0.2.1", 80, null);

    assertThat(pool.size()).isEqualTo(2);
    assertThat(third.channel().isOpen()).as("the pool was full for that place: closed").isFalse();
  }

  @Test
  void emptyPlacesAreForgottenSoThePoolStaysBounded() throws Exception {
    pool = new LoopPool(1, 4);
    for (int i = 1; i <= 40; i++) {
      idle("192.0.2." + i, 80, null);
      assertThat(pool.take(ip("192.0.2." + i), 80, null)).isNotNull();
    }

    assertThat(pool.slots()).as("places remembered").isLessThanOrEqualTo(8);
    Upstream back = idle("192.0.2.40", 80, null);
    assertThat(pool.take(ip("192.0.2.40"), 80, null)).isSameAs(back);
  }
}
