package org.schoolgate.proxy.safesearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code safe=active} replaces whatever {@code safe} the user sent and keeps the rest. */
class SafeSearchRewriteTest {
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /search                              | /search?safe=active
      /search?                             | /search?safe=active
      /search?q=cats                       | /search?q=cats&safe=active
      /search?q=cats&safe=off              | /search?q=cats&safe=active
      /search?safe=off&q=cats&safe=images  | /search?q=cats&safe=active
      /search?safe&q=cats                  | /search?q=cats&safe=active
      /search?safesearch=0&q=a%26b&&x=1    | /search?safesearch=0&q=a%26b&x=1&safe=active
      http://www.google.com/search?q=a     | http://www.google.com/search?q=a&safe=active
      """)
  void googleSearchQueriesGetSafeActive(String uri, String expected) {
    assertThat(SafeSearchRewrite.withSafeActive(uri)).isEqualTo(expected);
  }
}
