package org.schoolgate.policy.content.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** HTML, JSON and SSE text extraction, and the same words whichever way the body is chunked. */
class ExtractorsTest {

  @Test
  void htmlSkipsScriptsStylesCommentsAndTagsAndReadsAltAndTitle() {
    String html = "<!doctype html><html><head><title>Page One</title><style>p{color:red} .kill{}</style>"
        + "<script>var a = '</p>kill myself';</script></head><body><!-- hidden kill --><p class=\"kill\">Hello"
        + "<br>world</p><img src=\"kill.png\" alt=\"a red balloon\"><a href='/x?kill=1' title=\"Go home\">"
        + "link</a><SCRIPT type=x>bad words</SCRIPT >end</body></html>";
    assertThat(html(html)).isEqualTo("page one helo world a red balon go home link end");
  }

  @Test
  void htmlDecodesEntitiesAndJoinsInlineTags() {
    assertThat(html("su<b>ic</b>ide<p>caf&eacute; &amp; tea&nbsp;time &#107;&#x69;ll 5 &lt; 6 &bogus; AT&T"))
        .isEqualTo("suicide cafe tea time kil 5 6 at t");
    assertThat(html("a < b and <3 hearts")).isEqualTo("a b and 3 hearts");
  }

  @Test
  void jsonReadsStringValuesNotKeys() {
    assertThat(json(null, "{\"kill\": \"hello there\", \"n\": 5, \"list\": [\"one\", {\"x\": \"two\\nthree\"}],"
        + " \"esc\": \"caf\\u00e9 \\\"q\\\"\"}")).isEqualTo("helo there one two thre cafe q");
    assertThat(json(new String[] {"content", "parts"}, "{\"id\":\"abc\",\"content\":\"hi you\",\"author\":{\"role\":\"user\"},"
        + "\"c\":{\"parts\":[\"first part\",\"second\"]},\"other\":[\"no\"]}")).isEqualTo("hi you first part second");
  }

  @Test
  void sseJoinsTokensAcrossEventsAndSkipsOtherFields() {
    String sse = "event: delta\nid: 7\n: a comment\n"
        + "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"Photo\"}}]}\r\n\r\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"synthesis is\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":\n"
        + "data: {\"content\":\" great\"}}]}\n\n"
        + "data: [DONE]\n\ndata: plain words\n\n";
    assertThat(sse(sse)).isEqualTo("photosynthesis is great plain words");
  }

  @Test
  void everyChunkingGivesTheSameWords() {
    String html = "<p title=\"T&eacute;st\">Caf&eacute; su<i>ic</i>ide</p><script>x<y</script><!-- c -- >x-->ok"
        + "&#x6b;&#105;ll <style>a</style>end";
    String json = "{\"a\":\"x\\u00e9y \\\"q\\\"\",\"b\":[\"u\",\"v w\"]}";
    String sse = "data: {\"content\":\"Hel\"}\r\n\r\ndata: {\"content\":\"lo you\"}\n\ndata: plain text\n\n";
    check(html, ExtractorsTest::htmlExtractor);
    check(json, f -> TextExtractor.json(f));
    check(sse, f -> TextExtractor.sse(f, "content"));
  }

  @Test
  void htmlInArraysReadsLikeOneCharacterAtATime() {
    // feed(char[]) reads tag and attribute names and text runs in loops of their own; feed(CharSequence)
    // steps one character at a time: random markup cut anywhere must give the same words both ways
    String[] pieces = {"<b>", "</b>", "<B>", "<SPAN class=x>", "</span >", "<h1>", "</h1>", "<p>", "</P>", "<br/>",
        "<img src=\"a.png\" alt=\"Kill me\">", "<a href='/x' TITLE='su&amp;icide'>", "</a>", "<wbr>", "<strong>",
        "<abbreviationlongname>", "<i\tdata-x=1>", "<em/>", "< b", "</ x>", "</>", "<1>", "<a b c=d e = 'f' g>",
        "<td alt=unquoted>", "<div title=\"a>b\">", "<!-- c -->", "<!x>", "<?php x ?>", "&nbsp;", "&eacute;", "&#107;",
        "&bogus;", " ", "\n", "kill", "self", "harm", "su", "ic", "ide", "caf\u00e9", "\u0645\u062f\u062f", "k1ll",
        "5", "x", "<script>a<b</script>", "<style>p{}</style>", "<title>t</title>"};
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String body = b.toString();
      Recording oneByOne = new Recording();
      TextExtractor x = TextExtractor.html(new WordFolder(oneByOne));
      x.feed(body);
      x.end();
      int[] sizes = new int[body.length()];
      int n = 0;
      for (int left = body.length(); left > 0; ) {
        int size = 1 + random.nextInt(Math.min(left, 12));
        sizes[n++] = size;
        left -= size;
      }
      assertThat(run(body, ExtractorsTest::htmlExtractor, java.util.Arrays.copyOf(sizes, n))).as(body)
          .isEqualTo(oneByOne.keys);
      assertThat(run(body, ExtractorsTest::htmlExtractor, new int[] {body.length()})).as(body).isEqualTo(oneByOne.keys);
    }
  }

  private static void check(String body, Function<WordFolder, TextExtractor> make) {
    List<String> whole = run(body, make, new int[] {body.length()});
    Random random = new Random(42);
    for (int split = 0; split <= body.length(); split++) {
      assertThat(run(body, make, new int[] {split, body.length() - split})).as("split at %d", split).isEqualTo(whole);
    }
    for (int round = 0; round < 200; round++) {
      int[] sizes = new int[body.length()];
      int left = body.length();
      int n = 0;
      while (left > 0) {
        int size = 1 + random.nextInt(Math.min(left, 7));
        sizes[n++] = size;
        left -= size;
      }
      assertThat(run(body, make, java.util.Arrays.copyOf(sizes, n))).isEqualTo(whole);
    }
  }

  private static List<String> run(String body, Function<WordFolder, TextExtractor> make, int[] sizes) {
    Recording rec = new Recording();
    WordFolder folder = new WordFolder(rec);
    TextExtractor x = make.apply(folder);
    char[] chars = body.toCharArray();
    int at = 0;
    for (int size : sizes) {
      x.feed(chars, at, size);
      at += size;
    }
    x.end();
    return rec.keys;
  }

  private static TextExtractor htmlExtractor(WordFolder f) {
    return TextExtractor.html(f);
  }

  private static String html(String body) {
    return text(body, ExtractorsTest::htmlExtractor);
  }

  private static String json(String[] keys, String body) {
    return text(body, f -> keys == null ? TextExtractor.json(f) : TextExtractor.json(f, keys));
  }

  private static String sse(String body) {
    return text(body, f -> TextExtractor.sse(f, "content"));
  }

  /** The folded words the extractor passes on, joined by spaces. */
  private static String text(String body, Function<WordFolder, TextExtractor> make) {
    List<String> words = new java.util.ArrayList<>();
    TextExtractor x = make.apply(WordFolder.recording(words));
    x.feed(body);
    x.end();
    return String.join(" ", words);
  }

  private static final class Recording implements WordSink {
    final List<String> keys = new java.util.ArrayList<>();

    @Override
    public void word(long key, int length, char first) {
      keys.add(Long.toHexString(key));
    }
  }
}
