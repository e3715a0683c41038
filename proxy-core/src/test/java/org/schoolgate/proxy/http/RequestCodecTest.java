package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.proxy.pages.ErrorPage;

/**
 * The strict request codec and the guard in an {@link EmbeddedChannel}: every request-smuggling
 * shape RFC 9112 tells a recipient to refuse comes out as a {@link Rejected} 400 in the
 * request's place, and nothing after it is read; a well-formed request passes whole; a head that
 * trickles in too slowly becomes a 408.
 */
class RequestCodecTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(
      new RequestCodec(8192, Duration.ofSeconds(10)), new RequestGuard());

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void send(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Content-Length and Transfer-Encoding        | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      two different Content-Lengths               | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: 4\\r\\nContent-Length: 5\\r\\n\\r\\nabcde
      two equal Content-Lengths                   | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: 4\\r\\nContent-Length: 4\\r\\n\\r\\nabcd
      a Content-Length list                       | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: 4, 4\\r\\n\\r\\nabcd
      a Content-Length that is no number          | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: 4x\\r\\n\\r\\nabcd
      a negative Content-Length                   | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nContent-Length: -1\\r\\n\\r\\n
      a last coding that is not chunked           | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n
      a coding before chunked                     | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      chunked twice                               | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      two Transfer-Encoding lines, chunked last   | POST http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nTransfer-Encoding: chunked\u00ac\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      Transfer-Encoding in HTTP/1.0               | POST http://a.test/ HTTP/1.0\\r\\nHost: a.test\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      an obs-fold continuation line               | GET http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nX-Long: one\\r\\n two\\r\\n\\r\\n
      an obs-fold with a tab                      | GET http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nX-Long: one\\r\\n\\ttwo\\r\\n\\r\\n
      a bare LF ending a header line              | GET http://a.test/ HTTP/1.1\\r\\nHost: a.test\\nX-A: b\\r\\n\\r\\n
      a bare LF ending the request line           | GET http://a.test/ HTTP/1.1\\nHost: a.test\\r\\n\\r\\n
      a bare CR inside a header value             | GET http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nX-A: b\\rc\\r\\n\\r\\n
      a space before the colon                    | GET http://a.test/ HTTP/1.1\\r\\nHost : a.test\\r\\n\\r\\n
      two Host headers                            | GET http://a.test/ HTTP/1.1\\r\\nHost: a.test\\r\\nHost: b.test\\r\\n\\r\\n
      a CONNECT with a Content-Length             | CONNECT a.test:443 HTTP/1.1\\r\\nHost: a.test:443\\r\\nContent-Length: 5\\r\\n\\r\\nhello
      a CONNECT with a Transfer-Encoding          | CONNECT a.test:443 HTTP/1.1\\r\\nHost: a.test:443\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
      a control character in the request-target   | GET http://a.test/\\u0001x HTTP/1.1\\r\\nHost: a.test\\r\\n\\r\\n
      """)
  void aSmugglingShapeIsRefusedWith400AndNothingAfterItIsRead(String name, String raw) {
    send(unescape(raw) + "GET http://a.test/next HTTP/1.1\r\nHost: a.test\r\n\r\n");

    Object first = channel.readInbound();
    assertThat(first).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page()).isEqualTo(ErrorPage.BAD_REQUEST));
    Object next;
    while ((next = channel.readInbound()) != null) {
      assertThat(next).as("read after the refused request").isNotInstanceOf(HttpRequest.class);
      ReferenceCountUtil.release(next);
    }
  }

  @Test
  void aConnectSayingContentLengthZeroPasses() {
    send("CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nContent-Length: 0\r\n\r\n");

    Object first = channel.readInbound();
    assertThat(first).isInstanceOfSatisfying(HttpRequest.class,
        r -> assertThat(r.uri()).isEqualTo("a.test:443"));
    ReferenceCountUtil.release(first);
  }

  @Test
  void aWellFormedChunkedRequestWithTrailersPassesWhole() {
    send("POST http://a.test/form HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4\r\nabcd\r\n0\r\nX-Checksum: 1\r\n\r\n");

    HttpRequest request = channel.readInbound();
    assertThat(request.uri()).isEqualTo("http://a.test/form");
    StringBuilder body = new StringBuilder();
    Object msg;
    LastHttpContent last = null;
    while ((msg = channel.readInbound()) != null) {
      io.netty.handler.codec.http.HttpContent c = (io.netty.handler.codec.http.HttpContent) msg;
      body.append(c.content().toString(StandardCharsets.US_ASCII));
      if (c instanceof LastHttpContent l) {
        last = l;
        assertThat(l.trailingHeaders().get("X-Checksum")).isEqualTo("1");
      }
      c.release();
    }
    assertThat(body.toString()).isEqualTo("abcd");
    assertThat(last).isNotNull();
  }

  @Test
  void aRequestLineOverTheLimitIs414AndHugeHeadersAre431() {
    send("GET http://a.test/" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n");
    assertThat((Object) channel.readInbound()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page()).isEqualTo(ErrorPage.URI_TOO_LONG));

    EmbeddedChannel other = new EmbeddedChannel(new RequestCodec(8192, Duration.ofSeconds(10)),
        new RequestGuard());
    other.writeInbound(Unpooled.copiedBuffer("GET http://a.test/ HTTP/1.1\r\nCookie: "
        + "c".repeat(40_000) + "\r\n\r\n", StandardCharsets.ISO_8859_1));
    assertThat((Object) other.readInbound()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page()).isEqualTo(ErrorPage.HEADERS_TOO_LARGE));
    other.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "{0}, sent in pieces of {1}")
  @CsvSource(delimiter = '|', textBlock = """
      a request line over the limit, then a folded header | 0    | 414
      a request line over the limit, then a folded header | 3    | 414
      header lines over the limit, then a folded header   | 0    | 431
      header lines over the limit, then a folded header   | 1000 | 431
      a folded header just within the header limit        | 0    | 400
      a folded header just within the header limit        | 7    | 400
      """)
  void aHeadTooLargeIsRefusedForItsSizeWhetherItComesWholeOrInPieces(String name, int piece, int status) {
    String head = switch (name.substring(0, 3)) {
      case "a r" -> "GET http://a.test/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a.test\r\n";
      case "hea" -> "GET http://a.test/ HTTP/1.1\r\nCookie: " + "c".repeat(RequestCodec.MAX_HEADER_BYTES) + "\r\n";
      default -> "GET http://a.test/ HTTP/1.1\r\nCookie: "
          + "c".repeat(RequestCodec.MAX_HEADER_BYTES - "Cookie: ".length() - 20) + "\r\n";
    };
    byte[] raw = (head + "X-Long: one\r\n two\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    for (int at = 0; at < raw.length; at += piece == 0 ? raw.length : piece) {
      int to = piece == 0 ? raw.length : Math.min(raw.length, at + piece);
      channel.writeInbound(Unpooled.wrappedBuffer(raw, at, to - at));
    }

    assertThat((Object) channel.readInbound()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page().status().code()).isEqualTo(status));
  }

  @Test
  void aHeadThatTricklesInPastTheTimeoutIs408() {
    EmbeddedChannel slow = new EmbeddedChannel();
    slow.freezeTime();
    slow.pipeline().addLast(new RequestCodec(8192, Duration.ofSeconds(10)), new RequestGuard());
    slow.writeInbound(Unpooled.copiedBuffer("GET http://a.test/ HTTP/1.1\r\nHo",
        StandardCharsets.US_ASCII));

    slow.advanceTimeBy(9, TimeUnit.SECONDS);
    slow.runScheduledPendingTasks();
    assertThat((Object) slow.readInbound()).isNull();

    slow.advanceTimeBy(1, TimeUnit.SECONDS);
    slow.runScheduledPendingTasks();
    assertThat((Object) slow.readInbound()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page()).isEqualTo(ErrorPage.REQUEST_TIMEOUT));
    slow.finishAndReleaseAll();
  }

  @Test
  void anIdleKeepAliveConnectionRunsNoHeadTimer() {
    EmbeddedChannel idle = new EmbeddedChannel();
    idle.freezeTime();
    idle.pipeline().addLast(new RequestCodec(8192, Duration.ofSeconds(10)), new RequestGuard());
    idle.writeInbound(Unpooled.copiedBuffer("GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n",
        StandardCharsets.US_ASCII));
    ReferenceCountUtil.release(idle.readInbound());
    ReferenceCountUtil.release(idle.readInbound());

    idle.advanceTimeBy(1, TimeUnit.HOURS);
    idle.runScheduledPendingTasks();

    assertThat((Object) idle.readInbound()).isNull();
    idle.finishAndReleaseAll();
  }

  @Test
  void aLaterHeadGetsItsWholeTimeoutWhileTheConnectionsFirstTimerIsStillScheduled() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new RequestCodec(8192, Duration.ofSeconds(10)), new RequestGuard());
    ch.writeInbound(Unpooled.copiedBuffer("GET http://a.test/1 HTTP/1.1\r\nHost: a.test\r\n\r\n",
        StandardCharsets.US_ASCII));
    ReferenceCountUtil.release(ch.readInbound());
    ReferenceCountUtil.release(ch.readInbound());

    ch.advanceTimeBy(8, TimeUnit.SECONDS); // the connection's start timer is due at 10 s
    ch.writeInbound(Unpooled.copiedBuffer("GET http://a.test/2 HTTP/1.1\r\nHo",
        StandardCharsets.US_ASCII));
    ch.advanceTimeBy(9, TimeUnit.SECONDS); // 17 s: 9 s into the second head
    ch.runScheduledPendingTasks();
    assertThat((Object) ch.readInbound()).isNull();

    ch.advanceTimeBy(1, TimeUnit.SECONDS); // 10 s into the second head
    ch.runScheduledPendingTasks();
    assertThat((Object) ch.readInbound()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.page()).isEqualTo(ErrorPage.REQUEST_TIMEOUT));
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeadThatArrivesWholeInOneReadSchedulesNoTimer() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new RequestCodec(8192, Duration.ofSeconds(10)), new RequestGuard());
    for (int i = 0; i < 3; i++) {
      ch.writeInbound(Unpooled.copiedBuffer("GET http://a.test/" + i + " HTTP/1.1\r\n"
          + "Host: a.test\r\n\r\n", StandardCharsets.US_ASCII));
      assertThat((Object) ch.readInbound()).isInstanceOf(HttpRequest.class);
      ReferenceCountUtil.release(ch.readInbound());
      ch.advanceTimeBy(10, TimeUnit.SECONDS);
      // the connection's start timer (first round) finds no head being read; no other is made
      assertThat(ch.runScheduledPendingTasks()).as("next timer's delay (-1: none)").isEqualTo(-1);
      assertThat((Object) ch.readInbound()).isNull();
    }
    ch.finishAndReleaseAll();
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
        .replace("\\u0001", "\u0001");
  }
}
