package org.schoolgate.policy.content;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.content.phrase.PhraseEntry;
import org.schoolgate.policy.content.phrase.PhraseList;
import org.schoolgate.policy.content.phrase.PhraseSet;

/**
 * The starter phrase lists Schoolgate ships: one resource per theme and language,
 * {@code org/schoolgate/policy/content/lists/<theme>.<language>.txt} (format: {@link PhraseList}),
 * written by the Schoolgate authors for English, Polish, Romanian, Urdu and Arabic.
 */
public final class StarterPhrases {
  /** The languages with starter lists (ISO 639-1). */
  public static final List<String> LANGUAGES = List.of("en", "pl", "ro", "ur", "ar");

  private StarterPhrases() {}

  /** Every theme's starter lists in every language, compiled (built once, shared). */
  public static PhraseSet compiled() {
    return Compiled.SET;
  }

  /** Compiles {@code lists} (per theme, in order: a later entry with the same folded words wins). */
  public static PhraseSet compile(Map<ContentTheme, List<PhraseEntry>> lists) {
    PhraseSet.Builder b = PhraseSet.builder();
    lists.forEach((theme, entries) -> entries.forEach(e -> b.add(theme.ordinal(), e)));
    return b.build();
  }

  /** The starter entries of {@code theme} in {@code languages}; a broken shipped list is a bug (throws). */
  public static List<PhraseEntry> of(ContentTheme theme, List<String> languages) {
    List<PhraseEntry> out = new ArrayList<>();
    for (String lang : languages) {
      PhraseList.Result r = PhraseList.resource(theme.configName() + "." + lang + ".txt");
      if (!r.errors().isEmpty()) {
        throw new IllegalStateException("starter phrase list is broken: " + r.errors());
      }
      out.addAll(r.entries());
    }
    return out;
  }

  /** Every theme's starter entries in {@code languages}. */
  public static Map<ContentTheme, List<PhraseEntry>> all(List<String> languages) {
    Map<ContentTheme, List<PhraseEntry>> out = new EnumMap<>(ContentTheme.class);
    for (ContentTheme t : ContentTheme.ALL) {
      out.put(t, of(t, languages));
    }
    return out;
  }

  private static final class Compiled {
    static final PhraseSet SET = compile(all(LANGUAGES));
  }
}
