package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the front of a client connection ({@link FrontHandlers}: the strict request codec, the
 * {@link RequestGuard} and the {@link FrontHandler}, with a stand-in origin) with the bytes a
 * client sends (see {@code docs/fuzzing.md}). Whatever they are:
 * <ul>
 *   <li>what the client gets back is a sequence of well-formed responses, one per request the
 *       front was given, in order (a prefix of them: the rest wait their turn or were never
 *       finished); every non-1xx answer's body matches its {@code Content-Length};
 *   <li>a request the guard refused (unreadable, smuggling-prone framing, too long) is the last
 *       thing the front is given and is answered with its 400, 408, 414 or 431 page, {@code
 *       Connection: close}, and the connection closes;
 *   <li>an answer from the origin is the next one it gave ({@code X-Origin} counts them): none is
 *       lost, repeated or reordered, and the request the origin got has the same method;
 *   <li>what goes up to the origin reads as well-formed requests under a strict decoder, with one
 *       body length and never both kinds (no smuggling shape gets through);
 *   <li>a connection left open whose answers stop short of the requests given stops at one whose
 *       body has not ended (nothing stalls a whole request);
 *   <li>the same bytes in other pieces give the same requests, answers and origin requests;
 *   <li>every buffer sent in is released.
 * </ul>
 * The seeds in {@code RequestGuardFuzzTestInputs/} are raw requests: plain, pipelined, chunked,
 * CONNECT, over-long, malformed and smuggling shapes.
 */
class RequestGuardFuzzTest {
  private static final FrontHandlers FRONT = FrontHandlers.start();

  @AfterAll
  static void stop() {
    FRONT.close();
  }

  @FuzzTest(maxDuration = "25s")
  void answersEachRequestInTurnAndSendsUpOnlyWellFormedRequests(byte[] input) {
    int piece = 1 + Math.floorMod(Arrays.hashCode(input), 97);
    FrontHandlers.Outcome whole = FRONT.send(input, Math.max(1, input.length));
    FrontHandlers.Outcome pieces = FRONT.send(input, piece);
    whole.checkReleased();
    pieces.checkReleased();
    String transcript = check(whole);
    String inPieces = check(pieces);
    if (!inPieces.equals(transcript)) {
      throw new AssertionError(difference(piece, transcript, inPieces));
    }
  }

  /**
   * Where two transcripts of the same bytes part: line and column, the two lines around that
   * point (escaped, a caret under it), then both transcripts in full.
   */
  static String difference(int piece, String whole, String inPieces) {
    int at = 0;
    int common = Math.min(whole.length(), inPieces.length());
    while (at < common && whole.charAt(at) == inPieces.charAt(at)) {
      at++;
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at; i++) {
      if (whole.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    StringBuilder b = new StringBuilder("the same bytes sent in pieces of ").append(piece)
        .append(" give another outcome than sent whole, from line ").append(line)
        .append(", column ").append(at - lineStart + 1).append(":\n");
    int caret = excerpt(b.append("  whole:     "), whole, lineStart, at);
    excerpt(b.append("  in pieces: "), inPieces, lineStart, at);
    b.append(" ".repeat(13 + caret)).append("^\n");
    return b.append("whole:\n").append(escaped(whole, 0, whole.length()))
        .append("\nin pieces:\n").append(escaped(inPieces, 0, inPieces.length())).toString();
  }

  /**
   * Appends the line from {@code lineStart}, at most 60 characters either side of {@code at};
   * returns how far into the appended text {@code at} falls.
   */
  private static int excerpt(StringBuilder b, String s, int lineStart, int at) {
    int lineEnd = s.indexOf('\n', lineStart);
    lineEnd = lineEnd < 0 ? s.length() : lineEnd;
    int from = Math.max(lineStart, at - 60);
    String before = (from > lineStart ? "..." : "") + escaped(s, from, at);
    b.append(before);
    if (at >= lineEnd) {
      b.append(at >= s.length() ? "<end>" : "<end of line>");
    } else {
      int to = Math.min(lineEnd, at + 60);
      b.append(escaped(s, at, to)).append(to < lineEnd ? "..." : "");
    }
    b.append('\n');
    return before.length();
  }

  /** {@code s[from, to)} with characters other than printable ASCII and newline as escapes. */
  private static String escaped(String s, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\n' || (c >= ' ' && c < 0x7f)) {
        b.append(c);
      } else {
        b.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02X", (int) c)
            : String.format(Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    return b.toString();
  }

  /** Checks one connection; returns what happened, to compare deliveries. */
  private static String check(FrontHandlers.Outcome outcome) {
    List<FrontHandlers.Given> given = outcome.given();
    for (int i = 0; i < given.size(); i++) {
      if (given.get(i).refusedWith != 0) {
        assertThat(i).as("given after the guard refused: %s", given).isEqualTo(given.size() - 1);
      }
    }
    List<FullHttpResponse> answers = responses(outcome.written(), given);
    StringBuilder transcript = new StringBuilder();
    try {
      assertThat(answers.size()).as("answers to %s", given).isLessThanOrEqualTo(given.size());
      int fromOrigin = 0;
      for (int i = 0; i < answers.size(); i++) {
        FullHttpResponse answer = answers.get(i);
        FrontHandlers.Given g = given.get(i);
        int status = answer.status().code();
        // not whether its body's end was read: once the front closes the connection after an
        // answer, that depends only on where the reads were cut (the decoder still hands on the
        // rest of the read it is in; sent in pieces, the rest is never sent)
        transcript.append(g.request()).append(" -> ").append(status).append('\n');
        if (g.refusedWith != 0) {
          assertThat(status).as("the answer to a refused request").isEqualTo(g.refusedWith);
          assertThat(status).isIn(400, 408, 414, 431);
          assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
          assertThat(outcome.open()).as("connection open after refusing").isFalse();
        }
        String origin = answer.headers().get("X-Origin");
        if (origin != null) {
          fromOrigin++;
          assertThat(origin).as("the origin's answers in order").isEqualTo(String.valueOf(fromOrigin));
          assertThat(status).isEqualTo(200);
          assertThat(outcome.originMethods().get(fromOrigin - 1)).as("the method the origin got")
              .isEqualTo(g.method);
        } else {
          assertThat(status).as("the proxy's own answer to %s", g).isIn(400, 403, 408, 414, 431, 502, 504);
        }
      }
      String upstream = String.join("\n", outcome.upstream());
      if (outcome.open() && answers.size() < given.size()) {
        assertThat(given.get(answers.size()).whole)
            .as("a whole request left unanswered on an open connection: %s", given).isFalse();
      }
      transcript.append(upstream).append(outcome.open() ? "open" : "closed");
      if (outcome.open()) {
        transcript.append(' ').append(given);
      }
    } finally {
      answers.forEach(FullHttpResponse::release);
    }
    return transcript.toString();
  }

  /**
   * RFC 9112 6.3: one body length, never both kinds (what a smuggling attempt sends); a
   * Transfer-Encoding is one line saying chunked, which no recipient can read another way.
   */
  static void checkFraming(HttpRequest r) {
    List<String> lengths = r.headers().getAll(HttpHeaderNames.CONTENT_LENGTH);
    List<String> codings = r.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    assertThat(lengths.size()).as("Content-Length headers of %s", r.headers()).isLessThanOrEqualTo(1);
    assertThat(codings.size()).as("Transfer-Encoding headers of %s", r.headers()).isLessThanOrEqualTo(1);
    assertThat(!codings.isEmpty() && !lengths.isEmpty()).as("Content-Length with Transfer-Encoding: %s", r.headers()).isFalse();
    if (!codings.isEmpty()) {
      assertThat(codings.get(0).strip().toLowerCase(Locale.ROOT))
          .as("Transfer-Encoding of %s", r.headers()).isEqualTo(HttpHeaderValues.CHUNKED.toString());
    }
  }

  /**
   * The complete final responses in {@code bytes} (interim 1xx ones skipped), read knowing which
   * request each answers (a HEAD answer has no body); fails on bytes that are not well-formed
   * responses.
   */
  private static List<FullHttpResponse> responses(byte[] bytes, List<FrontHandlers.Given> given) {
    List<FullHttpResponse> out = new ArrayList<>();
    if (bytes.length == 0) {
      return out;
    }
    ArrayDeque<String> methods = new ArrayDeque<>();
    for (FrontHandlers.Given g : given) {
      methods.add(g.method == null ? "GET" : g.method);
    }
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder() {
      @Override
      protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        int code = ((HttpResponse) msg).status().code();
        if (code < 200) {
          return super.isContentAlwaysEmpty(msg); // interim: answers no request yet
        }
        return "HEAD".equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
      }
    }, new HttpObjectAggregator(1 << 20));
    try {
      client.writeInbound(Unpooled.wrappedBuffer(bytes));
      client.finish();
      for (Object o; (o = client.readInbound()) != null; ) {
        FullHttpResponse r = (FullHttpResponse) o;
        if (!r.decoderResult().isSuccess()) {
          r.release();
          throw new AssertionError("the front wrote a malformed response: "
              + new String(bytes, StandardCharsets.ISO_8859_1), r.decoderResult().cause());
        }
        if (r.status().code() < 200) {
          r.release();
          continue;
        }
        int length = r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        if (length >= 0 && r.content().readableBytes() > 0) { // an empty body: a HEAD answer
          assertThat(r.content().readableBytes()).as("body and Content-Length").isEqualTo(length);
        }
        out.add(r);
      }
    } catch (RuntimeException | AssertionError e) {
      out.forEach(FullHttpResponse::release);
      throw e;
    } finally {
      client.finishAndReleaseAll();
    }
    return out;
  }
}
