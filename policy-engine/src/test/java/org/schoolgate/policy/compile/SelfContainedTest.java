package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An expression RE2/J reads by searching past its own end is rewritten to read the same inside an
 * alternation; every other expression is returned as it is.
 */
class SelfContainedTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
      /e.*\\Q.            => /e.*\\Q.\\E
      a\\Q                => a\\Q\\E
      \\Q.)|(?:x          => \\Q.)|(?:x\\E
      \\Q.\\E\\Q(          => \\Q.\\E\\Q(\\E
      a\\\\Q.             => a\\\\Q.
      \\Q.\\E+            => \\Q.\\E+
      [a\\]]\\Qb           => [a\\]]\\Qb\\E
      gam[:T/ga-zam[:/25m ] => gam[:T/ga-zam\\[:/25m ]
      gam[:T/ga-z]        => gam[:T/ga-z]
      [x[:a]              => [x\\[:a]
      [[:alpha:]]x        => [[:alpha:]]x
      [[:alpha:][:a]      => [[:alpha:]\\[:a]
      []x[:]              => []x\\[:]
      [^][:y]             => [^]\\[:y]
      [!-[[:z]            => [!-[\\[:z]
      [\\d-[:z]           => [\\d-\\[:z]
      [\\p{Greek}[:z]     => [\\p{Greek}\\[:z]
      [\\x{5b}[:z]        => [\\x{5b}\\[:z]
      \\[:x]              => \\[:x]
      (?i)porn[0-9]       => (?i)porn[0-9]
      """)
  void rewritesOnlyWhatRe2jWouldReadPastTheExpressionsEnd(String line, String selfContained) {
    assertThat(SelfContained.of(line)).isEqualTo(selfContained);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
      gam[:T/ga-zam[:/25m ] => ]*plu
      [x[:a]           => :]
      /e.*\\Q.         => /banner/
      [!-[[:z]         => ]:]
      """)
  void anExpressionRewrittenMatchesBesideAnotherAsItDoesAlone(String line, String other) {
    String combined = "(?:" + SelfContained.of(line) + ")|(?:" + SelfContained.of(other) + ")";
    Pattern together = Pattern.compile(combined, Pattern.CASE_INSENSITIVE);
    Pattern alone = Pattern.compile(line, Pattern.CASE_INSENSITIVE);
    Pattern otherAlone = Pattern.compile(other, Pattern.CASE_INSENSITIVE);
    for (String text : List.of("gam:", "gamt", "gam[", "x[", "xa", "/e.x.", "/e.x", "/banner/", "]]]plu", "plu",
        "x:", "-", "z", "[:z", "a", "b]")) {
      boolean expected = alone.matcher(text).find() || otherAlone.matcher(text).find();
      assertThat(together.matcher(text).find()).as("%s on %s", combined, text).isEqualTo(expected);
    }
  }
}
