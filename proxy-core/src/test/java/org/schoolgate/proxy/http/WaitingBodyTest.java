package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A request that arrives behind another, with part of its body, in the same read: when its turn
 * comes, that part goes up to the origin at once, as it does when the same bytes arrive in
 * other pieces (found by {@code RequestGuardFuzzTest}: it waited for a client read that may
 * never come). Through {@link FrontHandlers}: the real front and a stand-in origin.
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
}
