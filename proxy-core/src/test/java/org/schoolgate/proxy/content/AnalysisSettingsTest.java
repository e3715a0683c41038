package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisSettingsTest {
  @Test
  void theDefaultsAreTheValuesThatWereConstants() {
    AnalysisSettings d = AnalysisSettings.DEFAULTS;

    assertThat(d.queue()).isEqualTo(4096);
    assertThat(d.moveAfterBytes()).isEqualTo(64 * 1024);
    assertThat(d.busyLoopTasks()).isEqualTo(256);
    assertThat(d.pauseAfterPieces()).isEqualTo(8);
    assertThat(d.threadsFor(1)).isEqualTo(1);
    assertThat(d.threadsFor(4)).isEqualTo(2);
    assertThat(d.withThreads(3).threadsFor(4)).isEqualTo(3);
  }

  static Stream<Arguments> invalid() {
    AnalysisSettings d = AnalysisSettings.DEFAULTS;
    return Stream.of(
        Arguments.of((Supplier<?>) () -> d.withThreads(-1),
            "proxy.content-analysis.threads is -1 (expected: 0 for one per two event loops, or 1..256)"),
        Arguments.of((Supplier<?>) () -> d.withThreads(257),
            "proxy.content-analysis.threads is 257 (expected: 0 for one per two event loops, or 1..256)"),
        Arguments.of((Supplier<?>) () -> d.withQueue(15),
            "proxy.content-analysis.queue is 15 (expected: 16..1048576 pieces per thread, such as 4096)"),
        Arguments.of((Supplier<?>) () -> d.withMoveAfterBytes(0),
            "proxy.content-analysis.move-after is 0 bytes (expected: 1 byte to 64MiB, such as 64KiB)"),
        Arguments.of((Supplier<?>) () -> new AnalysisSettings(0, 4096, 1, 0, 8),
            "proxy.content-analysis.busy-loop-tasks is 0 (expected: 1..1000000 tasks, such as 256)"),
        Arguments.of((Supplier<?>) () -> new AnalysisSettings(0, 4096, 1, 256, 4097),
            "proxy.content-analysis.pause-after-pieces is 4097 (expected: 1..4096 pieces, such as 8)"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void aValueOutOfRangeIsRefusedNamingTheFieldAndTheFix(Supplier<?> build, String message) {
    assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
