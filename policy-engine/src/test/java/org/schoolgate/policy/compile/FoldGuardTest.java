package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expressions RE2/J cannot compile case-insensitively in bounded time are refused when a list is
 * read (found by the list-file fuzz target: {@code [B-\x{4000}]} hung a policy compile).
 */
class FoldGuardTest {
  /** Only a hang fails this: the refused patterns never finish compiling without the guard. */
  private static final Duration NEVER_ENDS = Duration.ofSeconds(60);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      \u1C80                  | U+1C80
      a\\x{1C84}b             | U+1C84
      \\Q\u1C88\\E            | U+1C88
      a\\\u1C81               | U+1C81
      [\u1C83]                | U+1C83
      [B-\\x{4000}]           | U+1C80
      [^\\x{1000}-\\x{2000}]  | U+1C80
      (?i:x[\\x{1C85}])       | U+1C85
      """)
  void aCharacterWhoseFoldNeverClosesIsRefusedWithWhatToDo(String regex, String character) {
    assertTimeoutPreemptively(NEVER_ENDS, () -> assertThatThrownBy(() -> ExpressionMatcher.check(regex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a usable expression: it holds " + character + ", which RE2/J cannot compare"
            + " case-insensitively: compiling never ends (expected: no U+1C80 to U+1C88, e.g. the"
            + " ordinary Cyrillic letter instead)"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      [\\x{100}-\\x{1100}]             | 4097
      [\\x{2000}-\\x{2800}][a-\\x{900}] | 4257
      """)
  void wideRangesToFoldOneByOneAreRefused(String regex, int characters) {
    assertThatThrownBy(() -> ExpressionMatcher.check(regex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a usable expression: its character ranges hold " + characters
            + " characters to compare case-insensitively (expected: at most 4096; use narrower"
            + " ranges or a \\p{...} class)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"(^|\\.)porn[a-z]*\\.", "/banner/|/ads?/", "[^/]+\\.exe$", "\\pL+\\p{Cyrillic}",
      "[\\x{0}-\\x{10FFFF}]", "[A-\\x{10FFFF}]", "[а-я]+", "[\\x{80}-\\xff]", "\\x41\\101", "[[:alpha:]-]",
      "[]a-]", "\\Qa.b\\E", ".*"})
  void ordinaryExpressionsAreKept(String regex) {
    assertThat(ExpressionMatcher.check(regex)).isEqualTo(regex);
  }
}
