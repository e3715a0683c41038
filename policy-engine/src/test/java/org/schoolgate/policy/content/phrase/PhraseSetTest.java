package org.schoolgate.policy.content.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.content.text.WordFolder;

/** The automaton against a naive matcher, slips, run-together words, and the list format. */
class PhraseSetTest {
  private static final String[] VOCABULARY = {"ab", "ba", "ca", "da", "ed", "fe", "go", "hi"};

  @Test
  void findsExactlyWhatANaiveMatcherFinds() {
    matchesLikeANaiveMatcher(VOCABULARY, 25);
  }

  /** Word ids past 64 share bits of a state's edge bits ({@code childBits}): no edge is lost to that. */
  @Test
  void findsExactlyWhatANaiveMatcherFindsWithWordIdsPast64() {
    String[] vocabulary = new String[150];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "w" + (char) ('a' + i / 13) + (char) ('n' + i % 13); // no letter doubled
    }
    matchesLikeANaiveMatcher(vocabulary, 120);
  }

  private static void matchesLikeANaiveMatcher(String[] vocabulary, int maxPhrases) {
    Random random = new Random(1616);
    for (int round = 0; round < 300; round++) {
      List<String[]> phrases = new ArrayList<>();
      PhraseSet.Builder b = PhraseSet.builder();
      int n = 1 + random.nextInt(maxPhrases);
      for (int p = 0; p < n; p++) {
        String[] words = randomWords(random, vocabulary, 1 + random.nextInt(4));
        phrases.add(words);
        b.add(p, new PhraseEntry(String.join(" ", words), 1 + p, false, "test:" + p));
      }
      PhraseSet set = b.build();
      String[] text = randomWords(random, vocabulary, random.nextInt(60));
      if (vocabulary.length > VOCABULARY.length) { // mostly words of the phrases, so deep states are reached
        for (int i = 0; i + 1 < text.length; i += 2) {
          String[] phrase = phrases.get(random.nextInt(n));
          System.arraycopy(phrase, 0, text, i, Math.min(phrase.length, text.length - i));
        }
      }
      int[] expected = new int[n];
      for (int i = 0; i < text.length; i++) {
        for (int p = 0; p < n; p++) {
          if (matchesAt(phrases.get(p), text, i)) {
            expected[p]++;
          }
        }
      }
      int[] found = new int[n];
      int state = 0;
      for (String w : text) {
        state = set.next(state, set.wordId(WordFolder.key(w)));
        for (int i = set.outputsFrom(state); i < set.outputsTo(state); i++) {
          found[set.output(i)]++;
        }
      }
      assertThat(found).as("phrases %s in %s", phrases.stream().map(a -> String.join(" ", a)).toList(),
          String.join(" ", text)).isEqualTo(expected);
    }
  }

  /** A phrase matches its words in order, or (2 or 3 words, 6+ letters together) as one word. */
  private static boolean matchesAt(String[] phrase, String[] text, int at) {
    if (phrase.length >= 2 && phrase.length <= 3 && WordFolder.squash(String.join("", phrase)).length() >= 6
        && text[at].equals(WordFolder.squash(String.join("", phrase)))) {
      return true;
    }
    if (at + phrase.length > text.length) {
      return false;
    }
    for (int j = 0; j < phrase.length; j++) {
      if (!text[at + j].equals(phrase[j])) {
        return false;
      }
    }
    return true;
  }

  private static String[] randomWords(Random random, String[] vocabulary, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = vocabulary[random.nextInt(vocabulary.length)];
      if (random.nextInt(12) == 0) { // sometimes a run-together pair, as a page might write it
        out[i] = WordFolder.squash(out[i] + vocabulary[random.nextInt(vocabulary.length)]
            + vocabulary[random.nextInt(vocabulary.length)]);
      }
    }
    return out;
  }

  @Test
  void longLatinWordsMatchWithOneLetterMissingOrTwoSwapped() {
    PhraseSet.Builder b = PhraseSet.builder();
    b.add(0, new PhraseEntry("suicide", 10, false, "t:1"));
    b.add(0, new PhraseEntry("kill", 10, false, "t:2"));
    PhraseSet set = b.build();
    int suicide = set.wordId(WordFolder.key("suicide"));
    assertThat(suicide).isPositive();
    for (String slip : List.of("sucide", "suicid", "siucide", "suicdie", "suiicide")) {
      assertThat(set.wordId(WordFolder.key(WordFolder.words(slip).get(0)))).as(slip).isEqualTo(suicide);
    }
    assertThat(set.wordId(WordFolder.key("uicide"))).as("the first letter must be right").isZero();
    assertThat(set.wordId(WordFolder.key("kil"))).isPositive();
    assertThat(set.wordId(WordFolder.key("kl"))).as("short words have no slips").isZero();
  }

  @Test
  void anExceptionKnowsThePhrasesInsideIt() {
    PhraseSet.Builder b = PhraseSet.builder();
    b.add(0, new PhraseEntry("suicide", 10, false, "t:1"));
    b.add(0, new PhraseEntry("squad", 5, false, "t:2"));
    b.add(1, new PhraseEntry("suicide", 7, false, "t:3"));
    b.add(0, new PhraseEntry("suicide squad", 0, true, "t:4"));
    PhraseSet set = b.build();
    assertThat(set.isException(3)).isTrue();
    assertThat(set.undo(3)).as("suicide and squad of theme 0, not theme 1's suicide").containsExactlyInAnyOrder(0, 1);
    assertThat(set.undo(0)).isEmpty();
  }

  @Test
  void listLinesAreReadWithTheirErrors() throws Exception {
    PhraseList.Result r = PhraseList.read(new StringReader("""
        # comment
        kill myself = 60
        samaritans  = -40
        !suicide squad

        no weight here
        zero = 0
        !with weight = 5
        huge = 5000
        """), "extra.txt");
    assertThat(r.entries()).extracting(PhraseEntry::text, PhraseEntry::weight, PhraseEntry::exception)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("kill myself", 60, false),
            org.assertj.core.groups.Tuple.tuple("samaritans", -40, false),
            org.assertj.core.groups.Tuple.tuple("suicide squad", 0, true));
    assertThat(r.errors()).map(PhraseList.Problem::toString).containsExactly(
        "extra.txt:6: 'no weight here' has no weight (expected: phrase = weight, e.g. kill myself = 60;"
            + " a negative weight for context phrases, !phrase for an exception)",
        "extra.txt:7: 'zero = 0' has weight 0 (expected: a positive weight, or a negative one for a context phrase)",
        "extra.txt:8: an exception has no weight: '!with weight = 5' (expected: !phrase alone, e.g. !suicide squad)",
        "extra.txt:9: weight 5000 is out of range (expected: -1000 to 1000)");
  }
}
