package org.schoolgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/** The inspector in an {@link EmbeddedChannel}: holding, forwarding unchanged, limits, timeout. */
class TunnelInspectorTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");
  @TempDir static Path dir;
  static PolicyHolder policy;

  private SimpleMeterRegistry registry;
  private EmbeddedChannel channel;

  @BeforeAll
  static void load() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        groups:
          pupils: { subnets: [10.10.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
        tunnels:
          not-tls: { default: block, staff: allow }
        """);
    policy = PolicyHolder.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @BeforeEach
  void channel() {
    registry = new SimpleMeterRegistry();
    channel = new EmbeddedChannel();
    channel.freezeTime();
  }

  /** The tunnel opens: the inspector holds from now on; what passes goes down the pipeline. */
  private void openTunnel(String group) throws Exception {
    TunnelTarget t = new TunnelTarget(new GroupId(group), null, "school.example", 443,
        InetAddress.getByName("10.10.0.5"), new Exchange(NOW, 0, "10.10.0.5"), ZoneOffset.UTC);
    channel.pipeline().addLast(new TunnelInspector(policy::current, new ProxyMetrics(registry),
        Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10), t,
        (client, held, tls, serverName) -> client.pipeline().fireChannelRead(held)));
  }

  @Test
  void aMatchingHelloSplitInPiecesIsHeldThenForwardedUnchangedInOneBuffer() throws Exception {
    openTunnel("pupils");
    byte[] hello = Hellos.clientHello("school.example", false);
    channel.writeInbound(Unpooled.wrappedBuffer(hello, 0, 10));
    assertThat((Object) channel.readInbound()).isNull();

    channel.writeInbound(Unpooled.wrappedBuffer(hello, 10, hello.length - 10));

    ByteBuf forwarded = channel.readInbound();
    byte[] got = new byte[forwarded.readableBytes()];
    forwarded.readBytes(got).release();
    assertThat(got).isEqualTo(hello);
    assertThat(channel.pipeline().get(TunnelInspector.class)).as("removed once decided").isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aTunnelThatSendsNoHelloWithinTheTimeoutIsJudgedNotTls() throws Exception {
    openTunnel("pupils");
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 1}));

    channel.advanceTimeBy(9, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.counter(ProxyMetrics.TUNNEL_CHECKS, "check", "not-tls", "action", "block").count())
        .isEqualTo(1);
  }

  @Test
  void anAllowedGroupsSlowTunnelIsForwardedAtTheTimeout() throws Exception {
    openTunnel("staff");
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 1}));

    channel.advanceTimeBy(10, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    ByteBuf forwarded = channel.readInbound();
    assertThat(forwarded.readableBytes()).isEqualTo(3);
    forwarded.release();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aReadPastTheHoldLimitIsJudgedOnTheHelloItCarriesAndForwardedWhole() throws Exception {
    openTunnel("pupils");
    byte[] hello = Hellos.clientHello("school.example", false);
    byte[] read = new byte[TunnelInspector.MAX_HELD + 4096];
    System.arraycopy(hello, 0, read, 0, hello.length);
    read[read.length - 1] = 42; // application data the client sent right behind its hello

    channel.writeInbound(Unpooled.wrappedBuffer(read));

    ByteBuf forwarded = channel.readInbound();
    assertThat(forwarded.readableBytes()).isEqualTo(read.length);
    assertThat(forwarded.getByte(read.length - 1)).isEqualTo((byte) 42);
    forwarded.release();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void moreThanTheHoldLimitWithoutACompleteHelloIsNotTls() throws Exception {
    openTunnel("pupils");
    byte[] start = {22, 3, 1, 0x40, 0x00, 1, 0, (byte) 0x3f, (byte) 0xfc}; // a 16 KiB record
    channel.writeInbound(Unpooled.wrappedBuffer(start));
    assertThat(channel.isOpen()).isTrue();

    channel.writeInbound(Unpooled.wrappedBuffer(new byte[TunnelInspector.MAX_HELD]));

    assertThat(channel.isOpen()).isFalse();
  }
}
