package org.schoolgate.policy.compile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentPolicy;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.phrase.PhraseEntry;
import org.schoolgate.policy.content.phrase.PhraseList;
import org.schoolgate.policy.content.phrase.PhraseSet;
import org.schoolgate.policy.model.ContentConfig;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.PolicyConfig;

/**
 * Compiles the {@code content:} section: the starter lists (in the chosen languages) plus the
 * school's, into one {@link PhraseSet} (the shared starter automaton when the school adds
 * nothing), and every group's {@link ContentRules}. A school list's wrong lines are errors with
 * the list's file and line.
 */
final class ContentPolicies {
  private ContentPolicies() {}

  static ContentPolicy compile(PolicyConfig policy, List<PolicyError> errors) {
    ContentConfig config = policy.content();
    if (!config.present()) {
      return ContentPolicy.OFF;
    }
    boolean starterOnly = config.languages().equals(StarterPhrases.LANGUAGES);
    Map<ContentTheme, List<PhraseEntry>> lists = new EnumMap<>(ContentTheme.class);
    for (ContentTheme theme : ContentTheme.values()) {
      ContentConfig.ThemeLists t = config.themes().getOrDefault(theme, ContentConfig.ThemeLists.DEFAULTS);
      List<PhraseEntry> entries = new ArrayList<>();
      if (t.starter()) {
        entries.addAll(StarterPhrases.of(theme, config.languages()));
      } else {
        starterOnly = false;
      }
      for (Path file : t.lists()) {
        starterOnly = false;
        String field = "content.themes." + theme.configName() + ".lists";
        try {
          PhraseList.Result r = PhraseList.read(file);
          r.errors().forEach(p -> errors.add(new PolicyError(file, p.line(), field, p.message())));
          entries.addAll(r.entries());
        } catch (IOException | RuntimeException ex) {
          errors.add(new PolicyError(policy.file(), 0, field, "cannot read " + file + ": " + ex
              + " (expected: a readable UTF-8 phrase list)"));
        }
      }
      lists.put(theme, entries);
    }
    PhraseSet phrases = starterOnly ? StarterPhrases.compiled() : StarterPhrases.compile(lists);
    Map<GroupId, ContentRules> rules = new HashMap<>();
    for (GroupConfig g : policy.groups()) {
      ContentConfig.GroupRules r = config.rulesOf(g.id());
      Map<ContentTheme, Integer> thresholds = new EnumMap<>(ContentTheme.class);
      for (ContentTheme theme : ContentTheme.values()) {
        thresholds.put(theme, config.themes().getOrDefault(theme, ContentConfig.ThemeLists.DEFAULTS).threshold());
      }
      thresholds.putAll(r.thresholds());
      Map<ContentTheme, ContentAction> actions = r.actions();
      rules.put(g.id(), new ContentRules(g.id(), phrases, actions, thresholds, config.topPhrases(),
          config.scanLimitBytes()));
    }
    return new ContentPolicy(phrases, rules, config.lookAheadBytes(), config.scanLimitBytes(), config.topPhrases(),
        config.aiCategories(), config.aiPrompts(), config.excerptChars());
  }
}
