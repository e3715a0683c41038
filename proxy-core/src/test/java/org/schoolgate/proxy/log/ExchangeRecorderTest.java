package org.schoolgate.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.JsonLines;

class ExchangeRecorderTest {
  private static final Instant AT = Instant.parse("2026-11-23T12:30:00Z");
  @TempDir Path dir;
  private AccessLog log;
  private Exchanges exchanges;
  private EmbeddedChannel channel;

  private void start() {
    log = AccessLog.start(dir, 64, new ProxyMetrics(new SimpleMeterRegistry()));
    exchanges = new Exchanges(log);
    channel = new EmbeddedChannel(new ExchangeRecorder(exchanges));
  }

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
    log.close();
  }

  private List<Map<String, Object>> lines() throws Exception {
    log.flush(Duration.ofSeconds(5));
    return JsonLines.read(dir.resolve("access-2026-11-23.jsonl"));
  }

  private Exchange begin(String method) {
    Exchange e = new Exchange(AT, System.nanoTime(), "127.0.0.2")
        .request(method, "http", "school.test", 80, "/", null);
    exchanges.begin(e);
    return e;
  }

  @Test
  void aStreamedResponseIsLoggedAtItsLastChunkWithStatusAndBodyBytes() throws Exception {
    start();
    begin("POST");
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[300])));
    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
        new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[1000])));
    assertThat(lines()).isEmpty();

    channel.writeOutbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[24])));

    assertThat(lines()).singleElement().satisfies(l -> assertThat(l)
        .containsEntry("status", 200L).containsEntry("bytesIn", 300L)
        .containsEntry("bytesOut", 1024L).containsEntry("method", "POST"));
  }

  @Test
  void anInterimContinueDoesNotEndTheExchange() throws Exception {
    start();
    begin("PUT");
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.CONTINUE));
    assertThat(lines()).isEmpty();

    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.CREATED));

    assertThat(lines()).singleElement().satisfies(l -> assertThat(l).containsEntry("status", 201L));
  }

  @Test
  void anEstablishedTunnelIsLoggedWhenTheConnectionCloses() throws Exception {
    start();
    exchanges.begin(new Exchange(AT, System.nanoTime(), "127.0.0.3")
        .request("CONNECT", "https", "school.test", 443, "", null));
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[517]));
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[4096]));
    assertThat(lines()).isEmpty();

    channel.close();

    assertThat(lines()).singleElement().satisfies(l -> assertThat(l)
        .containsEntry("method", "CONNECT").containsEntry("status", 200L)
        .containsEntry("bytesIn", 517L).containsEntry("bytesOut", 4096L));
  }

  @Test
  void pipelinedExchangesCompleteInOrder() throws Exception {
    start();
    begin("GET").request("GET", "http", "first.test", 80, "/", null);
    begin("GET").request("GET", "http", "second.test", 80, "/", null);

    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK));
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.NOT_FOUND));

    assertThat(lines()).extracting(l -> l.get("host") + " " + l.get("status"))
        .containsExactly("first.test 200", "second.test 404");
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(out);
    }
  }
}
