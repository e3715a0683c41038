package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request pipelined behind one whose origin could not be reached keeps its own wait for its
 * connection: its body, read while that connection is being made, goes up once it is, after the
 * head. On the LittleProxy path this case stalled the event loop (the old DNS gate's deferred
 * unpark for the failed connection ended the pipelined request's park, and the body reached
 * LittleProxy mid-connect; found by {@code benchmarks/mutation-smoke.sh}). Here each step
 * carries its exchange's generation and pauses are independent reasons ({@link ReadPauses}), so
 * this pins that down, whole and byte by byte.
 */
class PipelinedAfterFailedOriginTest {
  private static final FrontHandlers FRONT = FrontHandlers.start();
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  @AfterAll
  static void stop() {
    FRONT.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MAX_VALUE, 1, 13})
  void theBodyOfARequestAfterAFailedOneGoesUpWithItsHeadAndIsAnswered(int piece) {
    byte[] input = ("POST http://refused.test:81/upload HTTP/1.1\r\nHost: refused.test:81\r\n"
        + "Content-Length: 5\r\n\r\nfirst"
        + "POST http://second.test/upload HTTP/1.1\r\nHost: second.test\r\n"
        + "Content-Length: 6\r\n\r\nsecond").getBytes(StandardCharsets.ISO_8859_1);

    FrontHandlers.Outcome out = FRONT.send(input, Math.min(piece, input.length));

    out.checkReleased();
    String written = new String(out.written(), StandardCharsets.ISO_8859_1);
    Matcher m = STATUS.matcher(written);
    StringBuilder statuses = new StringBuilder();
    while (m.find()) {
      statuses.append(m.group(1)).append(' ');
    }
    assertThat(statuses.toString().trim()).as("answers, in order").isEqualTo("502 200");
    assertThat(written).contains("X-Origin: 1");
    assertThat(out.originMethods()).containsExactly("POST");
    assertThat(out.upstream()).hasSize(1);
    assertThat(out.upstream().get(0))
        .startsWith("POST /upload HTTP/1.1")
        .contains("second.test")
        .contains("\nsecond\n<end []>")
        .doesNotContain("first");
    assertThat(out.open()).isTrue();
  }
}
