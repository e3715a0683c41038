package org.schoolgate.policy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AccessLogFilesTest {

  @Test
  void aDaysFileIsNamedByItsIsoDate() {
    assertThat(AccessLogFiles.name(LocalDate.of(2026, 1, 5))).isEqualTo("access-2026-01-05.jsonl");
  }

  @Test
  void aNameReadsBackAsItsDay() {
    LocalDate day = LocalDate.of(2026, 11, 23);

    assertThat(AccessLogFiles.dateOf(AccessLogFiles.name(day))).contains(day);
  }

  @ParameterizedTest
  @ValueSource(strings = {"access-2026-02-30.jsonl", "access-2026-1-05.jsonl", "access-2026-01-05.json",
      "access-2026-01-05.jsonl.gz", "alerts.checkpoint", "access-2026+01-05.jsonl", "access-20260-1-05.jsonl", ""})
  void otherNamesAreNotAccessLogFiles(String name) {
    assertThat(AccessLogFiles.dateOf(name)).isEmpty();
  }

  @Test
  void theGlobMatchesEveryName() {
    String name = AccessLogFiles.name(LocalDate.of(2026, 12, 31));
    java.nio.file.PathMatcher glob = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + AccessLogFiles.GLOB);

    assertThat(glob.matches(java.nio.file.Path.of(name))).isTrue();
  }
}
