package org.schoolgate.policy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.phrase.PhraseEntry;
import org.schoolgate.policy.content.phrase.PhraseSet;

/** Scoring a body as it streams: weights, context, exceptions, caps, chunking, bounded state. */
class ContentScanTest {
  static final ContentRules PUPILS = rules(StarterPhrases.compiled());

  static ContentRules rules(PhraseSet phrases) {
    Map<ContentTheme, ContentAction> actions = new EnumMap<>(ContentTheme.class);
    for (ContentTheme t : ContentTheme.values()) {
      actions.put(t, ContentAction.ALERT);
    }
    actions.put(ContentTheme.SELF_HARM, ContentAction.BLOCK);
    actions.put(ContentTheme.PORNOGRAPHY, ContentAction.BLOCK);
    return new ContentRules(new GroupId("pupils"), phrases, actions, Map.of(), 3, Long.MAX_VALUE);
  }

  static ContentScan scan(ContentRules rules, TextFormat format, String body) {
    ContentScan s = rules.newScan(format);
    s.feed(body);
    s.end();
    return s;
  }

  private static ContentRules custom(String... lines) {
    PhraseSet.Builder b = PhraseSet.builder();
    for (String line : lines) {
      boolean exception = line.startsWith("!");
      String[] parts = line.split("=");
      b.add(ContentTheme.SELF_HARM.ordinal(), new PhraseEntry((exception ? line.substring(1) : parts[0]).strip(),
          exception ? 0 : Integer.parseInt(parts[1].strip()), exception, "test"));
    }
    return rules(b.build());
  }

  @Test
  void weightsAddUpToThreeTimesAndContextPhrasesSubtract() {
    ContentRules r = custom("kill myself = 40", "suicide = 10", "samaritans = -30");
    assertThat(scan(r, TextFormat.PLAIN, "I want to kill myself").score(ContentTheme.SELF_HARM)).isEqualTo(40);
    assertThat(scan(r, TextFormat.PLAIN, "kill myself. kill myself! kill myself, kill myself")
        .score(ContentTheme.SELF_HARM)).as("at most three times").isEqualTo(120);
    assertThat(scan(r, TextFormat.PLAIN, "suicide: call the Samaritans").score(ContentTheme.SELF_HARM)).isEqualTo(-20);
    ContentScan s = scan(r, TextFormat.PLAIN, "kill myself kill myself kill myself suicide");
    assertThat(s.action()).isEqualTo(ContentAction.BLOCK);
    ContentVerdict v = s.verdict();
    assertThat(v).isInstanceOf(ContentVerdict.Block.class);
    assertThat(v.deciding().theme()).isEqualTo(ContentTheme.SELF_HARM);
    assertThat(v.deciding().score()).isEqualTo(130);
    assertThat(v.deciding().top()).extracting(ContentVerdict.PhraseHit::phrase).containsExactly("kill myself", "suicide");
    assertThat(v.deciding().summary()).isEqualTo("self-harm 130/100: kill myself \u00d73, suicide");
  }

  @Test
  void phrasesMatchWholeWordsAcrossPunctuationMarkupRunTogetherAndSpacedLetters() {
    ContentRules r = custom("kill myself = 40");
    assertThat(scan(r, TextFormat.PLAIN, "skill myselfie killmyself").score(ContentTheme.SELF_HARM)).isEqualTo(40);
    assertThat(scan(r, TextFormat.HTML, "<p>kill</p>\n<!-- x --><div>my<b>self</b></div>").score(ContentTheme.SELF_HARM))
        .isEqualTo(40);
    assertThat(scan(r, TextFormat.PLAIN, "k i l l   m y s e l f").score(ContentTheme.SELF_HARM)).isEqualTo(40);
    assertThat(scan(r, TextFormat.PLAIN, "K1LL--MY5ELF").score(ContentTheme.SELF_HARM)).isEqualTo(40);
  }

  @Test
  void anExceptionTakesBackTheMatchesInsideIt() {
    ContentRules r = custom("suicide = 50", "!suicide squad");
    assertThat(scan(r, TextFormat.PLAIN, "Suicide Squad review").score(ContentTheme.SELF_HARM)).isZero();
    assertThat(scan(r, TextFormat.PLAIN, "suicide squad and suicide").score(ContentTheme.SELF_HARM)).isEqualTo(50);
  }

  @Test
  void polishAndUrduPhrasesAreMatchedByTheStarterLists() {
    ContentScan pl = scan(PUPILS, TextFormat.PLAIN, "Nie chcę już żyć. Zabiję się dziś, nikt za mną nie będzie tęsknił.");
    assertThat(pl.score(ContentTheme.SELF_HARM)).isGreaterThanOrEqualTo(100);
    assertThat(pl.verdict().action()).isEqualTo(ContentAction.BLOCK);
    assertThat(scan(PUPILS, TextFormat.PLAIN, "NIE CHCE JUZ ZYC, zabije sie").score(ContentTheme.SELF_HARM))
        .as("without diacritics").isGreaterThanOrEqualTo(100);
    ContentScan ur = scan(PUPILS, TextFormat.PLAIN, "میں اب جینا نہیں چاہتی۔ میں خودکشی کروں گی۔");
    assertThat(ur.score(ContentTheme.SELF_HARM)).isGreaterThanOrEqualTo(100);
    assertThat(ur.verdict().deciding().top()).extracting(ContentVerdict.PhraseHit::phrase)
        .contains("خودکشی کروں گی");
    assertThat(scan(PUPILS, TextFormat.PLAIN, "ميں اب جينا نهيں چاهتي، ميں خودكشي كروں گي").score(ContentTheme.SELF_HARM))
        .as("written with Arabic yeh, kaf and heh").isGreaterThanOrEqualTo(100);
  }

  @Test
  void aSupportPageIsNotBlocked() {
    ContentScan s = scan(PUPILS, TextFormat.HTML, "<h1>Suicide and self-harm</h1><p>If you have thoughts of suicide,"
        + " you are not alone. Call Samaritans on 116 123. Self-harm is a way of coping; help is available.</p>");
    assertThat(s.action()).isEqualTo(ContentAction.OFF);
    assertThat(s.verdict()).isSameAs(ContentVerdict.Clean.INSTANCE);
  }

  @Test
  void everyChunkingOfAPageGivesTheSameScores() {
    String page = "<html><head><title>No more pain</title><script>var s = 'kill myself';</script></head><body>"
        + "<p>I want to d&#105;e. Nobody will miss me &amp; I will end it all.</p><img alt=\"hide the cuts\">"
        + "<p>Zabiję się. میں خودکشی کروں گی</p><p>free p<b>orn</b> xxx videos</p></body></html>";
    ContentScan whole = scan(PUPILS, TextFormat.HTML, page);
    Random random = new Random(7);
    char[] chars = page.toCharArray();
    for (int round = 0; round < 300; round++) {
      ContentScan s = PUPILS.newScan(TextFormat.HTML);
      int at = 0;
      while (at < chars.length) {
        int n = Math.min(chars.length - at, 1 + random.nextInt(round % 2 == 0 ? 4 : 64));
        s.feed(chars, at, n);
        at += n;
      }
      s.end();
      for (ContentTheme t : ContentTheme.values()) {
        assertThat(s.score(t)).as("%s in round %d", t, round).isEqualTo(whole.score(t));
      }
    }
    assertThat(whole.score(ContentTheme.SELF_HARM)).isGreaterThanOrEqualTo(100);
    assertThat(whole.score(ContentTheme.PORNOGRAPHY)).isGreaterThan(0);
  }

  @Test
  void fiftyMegabytesStreamWithBoundedStateAndNoAllocation() {
    String[] words = {"the", "lesson", "kill", "myself", "samaritans", "porn", "<b>", "</p>", "&amp;", "<script>x</script>",
        "zabiję", "się", "خودکشی", "ok", "\n"};
    StringBuilder chunkText = new StringBuilder();
    Random random = new Random(50);
    while (chunkText.length() < 64 * 1024) {
      chunkText.append(words[random.nextInt(words.length)]).append(' ');
    }
    char[] chunk = chunkText.toString().toCharArray();
    ContentScan s = PUPILS.newScan(TextFormat.HTML);
    long state = s.stateBytes();
    int chunks = 50 * 1024 * 1024 / chunk.length;
    long allocated = Allocations.bytesAllocated(2, chunks, i -> {
      s.feed(chunk, 0, chunk.length);
      return s.action().ordinal() + 1;
    });
    assertThat(s.chars()).isGreaterThanOrEqualTo(50L * 1024 * 1024);
    assertThat(s.stateBytes()).as("state after 50 MB").isEqualTo(state);
    assertThat(allocated).as("bytes allocated while reading 50 MB").isLessThan(1024);
    assertThat(s.verdict().over()).isNotEmpty();
  }

  @Test
  void utf8BytesInAnyPiecesAndUnderAnyLimitScoreAsTheirCharacters() {
    String page = "<html><head><title>No more pain</title><script>var s = 'kill myself';</script></head><body>"
        + "<p>I want to d&#105;e. Nobody will miss me &amp; I will end it all.</p><img alt=\"hide the cuts\">"
        + "<p>Zabij\u0119 si\u0119. \u0645\u06cc\u06ba \u062e\u0648\u062f\u06a9\u0634\u06cc \u06a9\u0631\u0648\u06ba \u06af\u06cc</p>"
        + "<p>free p<b>orn</b> xxx videos \ud83d\ude00 k i l l m y s e l f</p></body></html>";
    byte[] bytes = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Random random = new Random(8);
    for (int round = 0; round < 400; round++) {
      long limit = round < 200 ? Long.MAX_VALUE : 1 + random.nextInt(page.length() + 10);
      ContentRules r = round < 200 ? PUPILS : new ContentRules(new GroupId("pupils"), PUPILS.phrases(),
          Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK, ContentTheme.PORNOGRAPHY, ContentAction.BLOCK), Map.of(),
          3, limit);
      ContentScan chars = scan(r, TextFormat.HTML, page);
      ContentScan s = r.newScan(TextFormat.HTML);
      int at = 0;
      while (at < bytes.length) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(round % 2 == 0 ? 4 : 64));
        s.feedUtf8(bytes, at, n);
        at += n;
      }
      s.end();
      assertThat(s.chars()).as("round %d, limit %d", round, limit).isEqualTo(chars.chars());
      for (ContentTheme t : ContentTheme.values()) {
        assertThat(s.score(t)).as("%s in round %d, limit %d", t, round, limit).isEqualTo(chars.score(t));
      }
      assertThat(s.verdict().toString()).isEqualTo(chars.verdict().toString());
    }
    ContentScan whole = scan(PUPILS, TextFormat.HTML, page);
    assertThat(whole.score(ContentTheme.SELF_HARM)).isGreaterThanOrEqualTo(100);
    assertThat(whole.score(ContentTheme.PORNOGRAPHY)).isGreaterThan(0);
  }

  @Test
  void fiftyMegabytesOfUtf8BytesStreamWithNoAllocation() {
    String[] words = {"the", "lesson", "kill", "myself", "samaritans", "porn", "<b>", "</p>", "&amp;", "<script>x</script>",
        "zabij\u0119", "si\u0119", "\u062e\u0648\u062f\u06a9\u0634\u06cc", "ok", "\n", "<img alt=\"caf\u00e9\">"};
    StringBuilder chunkText = new StringBuilder();
    Random random = new Random(51);
    while (chunkText.length() < 64 * 1024) {
      chunkText.append(words[random.nextInt(words.length)]).append(' ');
    }
    byte[] chunk = chunkText.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ContentScan s = PUPILS.newScan(TextFormat.HTML);
    long state = s.stateBytes();
    int chunks = 50 * 1024 * 1024 / chunk.length;
    long allocated = Allocations.bytesAllocated(2, chunks, i -> {
      s.feedUtf8(chunk, 0, 777); // a piece that cuts a character or a tag
      s.feedUtf8(chunk, 777, chunk.length - 777);
      return s.action().ordinal() + 1;
    });
    assertThat(s.chars()).isGreaterThanOrEqualTo(49L * 1024 * 1024);
    assertThat(s.stateBytes()).as("state after 50 MB").isEqualTo(state);
    assertThat(allocated).as("bytes allocated while reading 50 MB").isLessThan(1024);
    assertThat(s.verdict().over()).isNotEmpty();
  }

  @Test
  void theScanLimitStopsReadingAndCountsTheRest() {
    ContentRules limited = new ContentRules(new GroupId("pupils"), StarterPhrases.compiled(),
        Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK), Map.of(), 5, 10);
    ContentScan s = limited.newScan(TextFormat.PLAIN);
    s.feed("0123456789 kill myself kill myself");
    s.end();
    assertThat(s.chars()).isEqualTo(10);
    assertThat(s.skipped()).isEqualTo(24);
    assertThat(s.score(ContentTheme.SELF_HARM)).isZero();
  }

  @Test
  void aScanIsReusableAfterReset() {
    ContentScan s = scan(PUPILS, TextFormat.PLAIN, "kill myself kill myself i want to die");
    assertThat(s.action()).isEqualTo(ContentAction.BLOCK);
    s.reset();
    s.feed("photosynthesis happens in leaves");
    s.end();
    assertThat(s.action()).isEqualTo(ContentAction.OFF);
    assertThat(s.chars()).isEqualTo(32);
  }

  @Test
  void aiAnswersAndPromptsAreReadFromTheirJson() {
    ContentScan answer = scan(PUPILS, TextFormat.EVENT_STREAM, "data: {\"choices\":[{\"delta\":{\"content\":\"You should ki\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"ll yourself\"}}]}\n\n");
    assertThat(answer.score(ContentTheme.BULLYING)).isGreaterThan(0);
    ContentScan prompt = scan(PUPILS, TextFormat.AI_JSON,
        "{\"model\":\"kill-myself-9\",\"messages\":[{\"role\":\"user\",\"content\":\"how to hide the cuts from my parents\"}]}");
    assertThat(prompt.topOf(ContentTheme.SELF_HARM)).extracting(ContentVerdict.PhraseHit::phrase).containsExactly("hide the cuts");
    assertThat(TextFormat.of("text/html; charset=utf-8")).contains(TextFormat.HTML);
    assertThat(TextFormat.of("application/vnd.api+json")).contains(TextFormat.JSON);
    assertThat(TextFormat.of("TEXT/EVENT-STREAM")).contains(TextFormat.EVENT_STREAM);
    assertThat(TextFormat.of("image/png")).isEmpty();
    assertThat(List.of(TextFormat.values())).hasSize(5);
  }
}
