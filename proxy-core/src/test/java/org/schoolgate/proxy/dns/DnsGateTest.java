package org.schoolgate.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsGateTest {
  private final DnsGate gate = new DnsGate();
  private final FakeLittleProxy main = new FakeLittleProxy();
  private final CompletableFuture<DnsAnswer> resolution = new CompletableFuture<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    channel = new EmbeddedChannel(gate, main);
  }

  @Test
  void heldRequestIsReplayedWithItsBodyInOrderOnceResolved() {
    HttpRequest request = request("http://cold.test/");
    main.holdNext = true;
    channel.writeInbound(request);
    HttpContent body = content("hello");
    channel.writeInbound(body, new DefaultLastHttpContent());

    assertThat(main.seen).containsExactly(request);
    assertThat(channel.config().isAutoRead()).isFalse();

    resolution.complete(new DnsAnswer.Failed("test", java.time.Duration.ZERO));
    channel.runPendingTasks();

    assertThat(main.seen).hasSize(4);
    assertThat(main.seen.get(1)).isSameAs(request);
    assertThat(main.replayFlags).containsExactly(false, true, false, false);
    assertThat(main.seen.get(2)).isSameAs(body);
    assertThat(main.seen.get(3)).isInstanceOf(DefaultLastHttpContent.class);
    assertThat(channel.config().isAutoRead()).isTrue();
    main.releaseAll();
  }

  @Test
  void sentinelAndTheEmptyBuffersAfterItNeverReachTheClient() {
    main.holdNext = true;
    channel.writeInbound(request("http://cold.test/"));

    assertThat(main.sentinelWrites).allMatch(f -> f.isSuccess());
    Object written = channel.readOutbound();
    assertThat(written).isNull();
  }

  @Test
  void writesAfterTheReplayPassThrough() {
    main.holdNext = true;
    channel.writeInbound(request("http://cold.test/"));
    resolution.complete(new DnsAnswer.Failed("test", java.time.Duration.ZERO));
    channel.runPendingTasks();

    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
        Unpooled.EMPTY_BUFFER);

    Object response = channel.readOutbound();
    Object empty = channel.readOutbound();
    assertThat(response).isInstanceOf(DefaultHttpResponse.class);
    assertThat(empty).isSameAs(Unpooled.EMPTY_BUFFER);
  }

  @Test
  void closingWhileHoldingReleasesQueuedBodyAndIgnoresTheLateAnswer() {
    main.holdNext = true;
    channel.writeInbound(request("http://cold.test/"));
    HttpContent body = content("secret");
    channel.writeInbound(body);

    channel.close();
    resolution.complete(new DnsAnswer.Failed("late", java.time.Duration.ZERO));
    channel.runPendingTasks();

    assertThat(body.refCnt()).isZero();
    assertThat(main.seen).hasSize(1);
  }

  @Test
  void parkedMessagesWaitUntilUnparkedThenGoInALaterTask() {
    channel.writeInbound(request("http://warm.test/"));
    gate.park();
    HttpContent body = content("data");
    channel.writeInbound(body);
    assertThat(main.seen).hasSize(1);

    gate.unpark();
    assertThat(main.seen).hasSize(1); // not inside LittleProxy's "connected" callback
    channel.runPendingTasks();

    assertThat(main.seen).hasSize(2).last().isSameAs(body);
    main.releaseAll();
  }

  @Test
  void anUnparkForAFailedConnectionLeavesTheNextConnectionsParkInForce() {
    // found by benchmarks/mutation-smoke.sh: a pipelined request's body reached LittleProxy
    // while its connection was being made, and LittleProxy waited 30 s on the event loop
    channel.writeInbound(request("http://refused.test/"));
    gate.park();
    gate.unpark(); // the first connection failed
    gate.park(); // the pipelined request's connection starts in the same task
    HttpContent body = content("data");
    channel.writeInbound(body);
    channel.runPendingTasks();

    assertThat(main.seen).hasSize(1);
    gate.unpark(); // its connection is made
    channel.runPendingTasks();

    assertThat(main.seen).hasSize(2).last().isSameAs(body);
    main.releaseAll();
  }

  @Test
  void aResponseWrittenWhileParkedReleasesTheParkedMessages() {
    channel.writeInbound(request("http://warm.test/"));
    gate.park();
    channel.writeInbound(new DefaultLastHttpContent());

    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.BAD_GATEWAY));
    channel.runPendingTasks();

    assertThat(main.seen).hasSize(2);
    ReferenceCountUtil.release(channel.readOutbound());
    main.releaseAll();
  }

  @Test
  void messagesReadWhileNotHoldingGoStraightThrough() {
    HttpRequest request = request("http://warm.test/");
    channel.writeInbound(request, new DefaultLastHttpContent());
    assertThat(main.seen).hasSize(2);
    assertThat(channel.config().isAutoRead()).isTrue();
    main.releaseAll();
  }

  private static HttpRequest request(String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  private static HttpContent content(String text) {
    ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    return new DefaultHttpContent(buf);
  }

  /** Stands in for LittleProxy's main handler: holds a request the way the filter does. */
  private final class FakeLittleProxy extends ChannelInboundHandlerAdapter {
    final List<Object> seen = new ArrayList<>();
    final List<Boolean> replayFlags = new ArrayList<>();
    final List<io.netty.channel.ChannelFuture> sentinelWrites = new ArrayList<>();
    boolean holdNext;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg);
      replayFlags.add(msg instanceof HttpRequest r && gate.isReplay(r));
      if (holdNext && msg instanceof HttpRequest r) {
        holdNext = false;
        gate.hold(r, resolution);
        // what LittleProxy does with a short-circuit FullHttpResponse
        sentinelWrites.add(ctx.channel().write(new DnsPending()));
        sentinelWrites.add(ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER));
        sentinelWrites.add(ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER));
      }
    }

    void releaseAll() {
      seen.forEach(m -> {
        if (m instanceof HttpContent c && c.refCnt() > 0) {
          c.release();
        }
      });
    }
  }
}
