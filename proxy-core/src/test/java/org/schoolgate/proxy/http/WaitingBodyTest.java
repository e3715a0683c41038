package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies the front meets out of step with their exchange (both found by {@code
 * RequestGuardFuzzTest}): a request that arrives behind another, with part of its body, in the
 * same read has that part go up to the origin when its turn comes, as when the same bytes arrive
 * in other pieces (it waited for a client read that may never come); a body that cannot be read
 * gets the 400 after its request's answer, whether that answer came before the break or after
 * it, and the connection closes (the refusal waited for ever behind an exchange that could not
 * end). Through {@link FrontHandlers}: the real front and
 * a stand-in origin.
 */
class WaitingBodyTest {
  private static final FrontHandlers FRONT = FrontHandlers.start();
  private static final byte[] INPUT = ("GET http://a.test/1 HTTP/1.1\r\nHost: a.test\r\n\r\n"
      + "POST http://a.test/up HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "5\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);

  @AfterAll
  static void stop() {
    FRONT.close();
  }

  @Test
  void aBodyPartThatWaitedItsTurnGoesUpWhenItsRequestDoes() {
    FrontHandlers.Outcome whole = FRONT.send(INPUT, INPUT.length);
    FrontHandlers.Outcome bytewise = FRONT.send(INPUT, 1);

    String upstream = String.join("\n", whole.upstream());
    assertThat(upstream).contains("POST /up HTTP/1.1").endsWith("hello");
    assertThat(upstream).isEqualTo(String.join("\n", bytewise.upstream()));
    assertThat(whole.open()).isTrue();
    whole.checkReleased();
    bytewise.checkReleased();
  }

  @Test
  void aBodyThatBreaksBeforeOrAfterItsRequestWasAnsweredGets400AndTheConnectionCloses() {
    // a POST to a port no origin listens on is answered 502 as soon as the connection fails,
    // keeping the connection; its body's chunk size then overflows. Sent whole, the refusal
    // arrives before the 502, in pieces after it: either way the refusal is answered next (it
    // waited for ever behind the exchange, whose body could never end)
    byte[] input = ("POST http://www.school.test:886/form HTTP/1.1\r\nHost: www.school.test:886\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nffffffffffffffffffff\r\nx\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    for (int piece : new int[] {input.length, 1}) {
      FrontHandlers.Outcome o = FRONT.send(input, piece);
      String written = new String(o.written(), StandardCharsets.ISO_8859_1);
      assertThat(written).as("in pieces of %d", piece).startsWith("HTTP/1.1 502 ")
          .contains("HTTP/1.1 400 ");
      assertThat(o.open()).as("in pieces of %d", piece).isFalse();
      o.checkReleased();
    }
  }
}
