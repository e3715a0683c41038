package org.schoolgate.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the front of a client connection ({@link FrontHandlers}: the HTTP request decoder and
 * {@link MalformedRequestGuard}) with the bytes a client sends (see {@code docs/fuzzing.md}).
 * Whatever they are:
 * <ul>
 *   <li>nothing the decoder failed to read reaches the rest of the proxy, and what does reach it
 *       is a sequence of requests, each followed by its body parts and a last part;
 *   <li>the client gets at most one answer from the front: exactly one well-formed 400, 414 or
 *       431 page with {@code Connection: close}, and then the connection is closed; it gets one
 *       only when no earlier request on the connection is still being answered (then the
 *       connection just closes), and a connection left open got no answer from the front;
 *   <li>no request passed on has both {@code Content-Length} and {@code Transfer-Encoding}, or
 *       two lengths (request smuggling shapes);
 *   <li>the same bytes in other pieces give the same requests, bodies and answer;
 *   <li>every buffer is released.
 * </ul>
 * The seeds in {@code MalformedRequestGuardFuzzTestInputs/} are raw requests: plain, pipelined,
 * chunked, CONNECT, over-long, malformed and smuggling shapes.
 */
class MalformedRequestGuardFuzzTest {
  private static final FrontHandlers FRONT = FrontHandlers.start();

  @AfterAll
  static void stop() {
    FRONT.close();
  }

  @FuzzTest(maxDuration = "25s")
  void passesOnlyReadableRequestsOrAnswersOnceAndCloses(byte[] input) {
    int piece = 1 + Math.floorMod(java.util.Arrays.hashCode(input), 97);
    FrontHandlers.Outcome whole = FRONT.send(input, Math.max(1, input.length));
    FrontHandlers.Outcome pieces = FRONT.send(input, piece);
    try {
      String transcript = check(whole);
      assertThat(check(pieces)).as("the same bytes in pieces of %d", piece).isEqualTo(transcript);
    } finally {
      whole.release();
      pieces.release();
    }
  }

  /** Checks one connection; returns what happened, to compare deliveries. */
  private static String check(FrontHandlers.Outcome outcome) {
    StringBuilder transcript = new StringBuilder();
    int requests = 0;
    boolean inBody = false;
    for (HttpObject o : outcome.passed()) {
      assertThat(o.decoderResult().isSuccess()).as("passed on although unreadable: %s", o).isTrue();
      if (o instanceof HttpRequest r) {
        assertThat(inBody).as("a request before the last part of the one before").isFalse();
        checkFraming(r);
        requests++;
        inBody = true;
        transcript.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocolVersion())
            .append('\n').append(r.headers().entries()).append('\n');
      }
      if (o instanceof HttpContent c) {
        assertThat(inBody).as("a body part outside a request").isTrue();
        transcript.append(c.content().toString(StandardCharsets.ISO_8859_1));
        if (o instanceof LastHttpContent last) {
          transcript.append("\n<end ").append(last.trailingHeaders().entries()).append(">\n");
          inBody = false;
        }
      }
    }
    List<FullHttpResponse> answers = responses(outcome.written());
    try {
      assertThat(answers.size()).as("answers from the front").isLessThanOrEqualTo(1);
      if (outcome.open()) {
        assertThat(outcome.written()).as("bytes written on a connection left open").isEmpty();
      }
      if (!answers.isEmpty()) {
        FullHttpResponse answer = answers.get(0);
        assertThat(answer.status().code()).as("the front's answer").isIn(400, 414, 431);
        assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(answer.content().readableBytes())
            .isEqualTo(answer.headers().getInt(HttpHeaderNames.CONTENT_LENGTH, -1));
        assertThat(outcome.open()).as("connection open after the front's answer").isFalse();
        assertThat(requests).as("requests passed on before the front answered").isZero();
        transcript.append("answered ").append(answer.status().code());
      } else if (!outcome.open()) {
        transcript.append("closed");
      }
    } finally {
      answers.forEach(FullHttpResponse::release);
    }
    return transcript.toString();
  }

  /** RFC 9112 6.3: one body length, never both kinds (what a smuggling attempt sends). */
  private static void checkFraming(HttpRequest r) {
    List<String> lengths = r.headers().getAll(HttpHeaderNames.CONTENT_LENGTH);
    boolean chunked = r.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    assertThat(lengths.size()).as("Content-Length headers of %s", r.headers()).isLessThanOrEqualTo(1);
    assertThat(chunked && !lengths.isEmpty()).as("Content-Length with Transfer-Encoding: %s", r.headers()).isFalse();
    if (chunked) {
      assertThat(r.headers().get(HttpHeaderNames.TRANSFER_ENCODING).toLowerCase(java.util.Locale.ROOT))
          .as("Transfer-Encoding of %s", r.headers()).endsWith(HttpHeaderValues.CHUNKED.toString());
    }
  }

  /** The complete responses in {@code bytes}; fails on bytes that are not well-formed responses. */
  private static List<FullHttpResponse> responses(byte[] bytes) {
    List<FullHttpResponse> out = new ArrayList<>();
    if (bytes.length == 0) {
      return out;
    }
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    client.writeInbound(Unpooled.wrappedBuffer(bytes));
    client.finish();
    for (Object o; (o = client.readInbound()) != null; ) {
      FullHttpResponse r = (FullHttpResponse) o;
      if (!r.decoderResult().isSuccess()) {
        r.release();
        out.forEach(FullHttpResponse::release);
        throw new AssertionError("the front wrote a malformed response: "
            + new String(bytes, StandardCharsets.ISO_8859_1), r.decoderResult().cause());
      }
      out.add(r);
    }
    return out;
  }
}
