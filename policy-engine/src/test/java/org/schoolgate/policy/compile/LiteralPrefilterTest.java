package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Ut1Fixture;

/** The literal prefilter never rules out a URL RE2/J would match, and rules out most others. */
class LiteralPrefilterTest {

  @ParameterizedTest(name = "{0} needs one of [{1}]")
  @CsvSource(delimiter = ';', nullValues = "null", textBlock = """
      (/banner/|/sponsor/|/event.ng/|/Advertisement/|adverts/) ; /advertisement/,/banner/,/event,/sponsor/,adverts/
      .*/ymsgr*\\.exe                                          ; /ymsg
      ^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+/search\\?q=[0-9]+$    ; /search?q=
      (sex|porn)                                               ; porn,sex
      colou?r                                                  ; colo
      x+yz                                                     ; yz
      ab{2,}c                                                  ; ab
      (?:abc)+d                                                ; abc
      (abc)?de                                                 ; de
      foo|.*                                                   ; null
      (a|)b                                                    ; b
      (a)\\1                                                   ; null
      (?i)abc                                                  ; null
      \\x41bc                                                  ; null
      [[:alpha:]]+x                                            ; null
      """)
  void readsTheLiteralsEveryMatchNeeds(String regex, String literals) {
    Set<String> found = LiteralPrefilter.necessaryLiterals(regex);
    assertThat(found == null ? null : String.join(",", new TreeSet<>(found))).isEqualTo(literals);
  }

  @TempDir static Path dir;

  /** The expressions of every UT1 category that has them (the fixture keeps them whole). */
  private static List<String> ut1Expressions() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Ut1Fixture.extractTo(Files.createTempDirectory(dir, "ut1")))) {
      for (Path d : dirs.sorted().toList()) {
        Path file = d.resolve("expressions");
        if (Files.isRegularFile(file)) {
          Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void everyUt1ExpressionHasLiterals() throws IOException {
    List<String> expressions = ut1Expressions();
    assertThat(expressions).hasSize(5);
    assertThat(expressions).allSatisfy(e -> assertThat(LiteralPrefilter.necessaryLiterals(e)).as(e).isNotNull());
  }

  @Test
  void neverRulesOutAUrlAnExpressionMatches() throws IOException {
    List<String> expressions = new ArrayList<>(ut1Expressions());
    expressions.addAll(List.of("(/banner/|/sponsor/)", "colou?r", "x+yz", "ab{2,}c", "(abc)?de", "(sex|porn)",
        "^[0-9.]+/search\\\\?q=[0-9]+$", "\\\\.exe$", "[.]php\\\\?id=", "(a|)b"));
    String[] pieces = {"google.com", "/search?q=cache", "images.google.fr", "/images?q=x", "bing.com",
        "/videos/search?q=", "porn", "sex", "teen", "/banner/", "/Sponsor/", "/event.ng/", "/ymsg", "r", "rr",
        ".exe", "colour", "color", "colr", "xxyz", "abbc", "abc", "de", "/", "?", "q=", "1", "0", ".", "A", "Z",
        "é", "K", "altavista.x/image/results?q=", "/advertisement/", "adverts/", "images.search.yahoo.c/videos?p="};
    LiteralPrefilter prefilter = LiteralPrefilter.of(expressions);
    List<Pattern> patterns = expressions.stream().map(e -> Pattern.compile(e, Pattern.CASE_INSENSITIVE)).toList();
    Random random = new Random(42);
    int matched = 0;
    int ruledOut = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder url = new StringBuilder();
      int parts = 1 + random.nextInt(6);
      for (int p = 0; p < parts; p++) {
        url.append(random.nextInt(4) == 0 ? Integer.toString(random.nextInt(300)) : pieces[random.nextInt(pieces.length)]);
      }
      String text = url.toString();
      int split = random.nextInt(text.length() + 1);
      String host = text.substring(0, split);
      String path = text.substring(split);
      boolean any = patterns.stream().anyMatch(p -> p.matcher(text).find());
      boolean maybe = prefilter.mayMatch(host, path);
      if (any) {
        matched++;
        assertThat(maybe).as("prefilter ruled out '%s' (host '%s'), which an expression matches", text, host).isTrue();
      } else if (!maybe) {
        ruledOut++;
      }
    }
    assertThat(matched).as("URLs an expression matched").isGreaterThan(1_000);
    assertThat(ruledOut).as("URLs ruled out without RE2/J").isGreaterThan(1_000);
    assertThat(prefilter.mayMatch("www.example.com", "/news/2026/11/23/story.html")).isFalse();
    assertThat(Arrays.asList(pieces)).isNotEmpty();
  }

  @Test
  void theAnyHostTestNeverRulesOutAUrlWhoseNormalisedHostAnExpressionMatches() throws IOException {
    List<String> expressions = new ArrayList<>(ut1Expressions());
    expressions.addAll(List.of("colou?r", "\\.exe$", "[.]php\\?id=", "1\\.2/x", "com/s", "google"));
    LiteralPrefilter prefilter = LiteralPrefilter.of(expressions);
    List<Pattern> patterns = expressions.stream().map(e -> Pattern.compile(e, Pattern.CASE_INSENSITIVE)).toList();
    String[] hostPieces = {"google.", "images.", "com", "bing", "altavista", "yahoo", "0", "1.", "2", ".", "-", "_",
        "::1", "colo", "ur", "images.search.yahoo.com"};
    String[] pathPieces = {"/search?q=cache", "/images?q=x", "/videos/search?q=", "porn", "/banner/", "/ymsg",
        ".exe", "colour", "/", "?", "q=", "1", "x", "/x", ".php?id=", "s", "/image/results?q=teen", "/search"};
    Random random = new Random(42);
    int matched = 0;
    int ruledOut = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean ipv4 = random.nextInt(3) == 0;
      StringBuilder host = new StringBuilder();
      for (int p = 1 + random.nextInt(4); p > 0; p--) {
        host.append(ipv4 ? random.nextInt(256) + "." : hostPieces[random.nextInt(hostPieces.length)]);
      }
      StringBuilder path = new StringBuilder();
      for (int p = random.nextInt(4); p > 0; p--) {
        path.append(pathPieces[random.nextInt(pathPieces.length)]);
      }
      String text = host + path.toString();
      boolean any = patterns.stream().anyMatch(p -> p.matcher(text).find());
      boolean maybe = prefilter.mayMatchAnyHost(path.toString(), ipv4);
      if (any) {
        matched++;
        assertThat(maybe).as("ruled out path '%s' after host '%s', which an expression matches", path, host).isTrue();
      } else if (!maybe) {
        ruledOut++;
      }
    }
    assertThat(matched).as("URLs an expression matched").isGreaterThan(1_000);
    assertThat(ruledOut).as("URLs ruled out without RE2/J").isGreaterThan(1_000);
    // "google" could lie wholly in a domain, never in a dotted quad
    assertThat(prefilter.mayMatchAnyHost("/index.html?q=7", false)).isTrue();
    assertThat(prefilter.mayMatchAnyHost("/index.html?q=7", true)).isFalse();
  }
}
