package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.TestPolicies;

/** Label-boundary suffix matching, URL prefixes, and host normalisation in the index. */
class MatchingTest {
  @TempDir static Path dir;
  static CompiledPolicy policy;

  @BeforeAll
  static void compile() {
    policy = TestPolicies.compile(dir, """
        groups:
          everyone: { subnets: [0.0.0.0/0] }
        categories:
          ads:    { domains: [example.com] }
          uk:     { domains: [b.example.co.uk] }
          games:  { urls: [example.net/games/, www.example.org/play] }
          idn:    { domains: [bücher.example] }
          addr:   { domains: [192.0.2.1, "[2001:db8::1]"] }
          also:   { domains: [ads.example.com] }
          spelt:  { urls: ["example.edu/gam%65s/", "example.edu/a/./b/"] }
        matrix:
          ads:   { default: unacceptable }
          uk:    { default: unacceptable }
          games: { default: unacceptable }
          idn:   { default: unacceptable }
          addr:  { default: unacceptable }
          also:  { default: unacceptable }
          spelt: { default: unacceptable }
        """);
  }

  @ParameterizedTest(name = "{0}{1} → [{2}]")
  @CsvSource(delimiter = '|', textBlock = """
      example.com                 | /            | ads
      ads.example.com             | /            | ads,also
      x.ads.example.com           | /            | ads,also
      badexample.com              | /            | ''
      example.com.evil.test       | /            | ''
      com                         | /            | ''
      a.b.example.co.uk           | /            | uk
      example.co.uk               | /            | ''
      EXAMPLE.COM                 | /            | ads
      Ads.Example.Com.            | /            | ads,also
      example.com:8080            | /            | ads
      example.com.:443            | /            | ads
      example.net                 | /games/chess | games
      www.example.net             | /games/      | games
      example.net                 | /games       | ''
      example.net                 | /gamesx      | ''
      example.net                 | ''           | ''
      www.example.org             | /player      | games
      example.org                 | /play        | ''
      bücher.example              | /            | idn
      BÜCHER.example              | /            | idn
      xn--bcher-kva.example       | /            | idn
      www.xn--bcher-kva.example.  | /            | idn
      192.0.2.1                   | /            | addr
      192.0.2.1:80                | /            | addr
      1.192.0.2.1                 | /            | ''
      [2001:db8::1]               | /            | addr
      [2001:DB8::1]:443           | /            | addr
      example.edu                 | /games/x     | spelt
      example.edu                 | /a/b/c       | spelt
      example.edu                 | /gam         | ''
      """)
  void hostsMatchOnLabelBoundaries(String host, String path, String categories) {
    assertThat(policy.categoriesOf(host, path).joined()).isEqualTo(categories);
  }
}
