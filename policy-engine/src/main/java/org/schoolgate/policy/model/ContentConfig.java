package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentPolicy;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;

/**
 * The policy's {@code content:} section: real-time analysis of what pages say (see
 * {@code docs/policy-reference.md}). Without it ({@link #NONE}) nothing is analysed.
 *
 * <pre>{@code
 * content:
 *   look-ahead: 256KiB
 *   themes:
 *     self-harm: { threshold: 100, lists: [lists/content-self-harm.txt] }
 *   groups:
 *     ks3-4: { default: alert, self-harm: block, pornography: block }
 *     staff: log
 *   ai-chat: { categories: [ai-chat], prompts: true }
 * }</pre>
 *
 * @param present false for a policy without the section
 * @param lookAheadBytes how much of an HTML page is held while deciding a block
 * @param scanLimitBytes how much of one body is analysed
 * @param topPhrases phrases per theme kept for alerts
 * @param languages the starter lists' languages to load
 * @param themes per theme: threshold, the school's lists, whether the starter list is used
 * @param groups per named group: actions and thresholds
 * @param otherGroups the rules of groups not named ({@code groups.default}; off when absent)
 * @param aiCategories categories of generative-AI chat tools
 * @param aiPrompts whether prompts to those tools are scored
 * @param excerptChars characters of a prompt and an answer quoted in an alert
 */
public record ContentConfig(boolean present, long lookAheadBytes, long scanLimitBytes, int topPhrases,
    List<String> languages, Map<ContentTheme, ThemeLists> themes, Map<GroupId, GroupRules> groups,
    GroupRules otherGroups, List<CategoryId> aiCategories, boolean aiPrompts, int excerptChars) {

  /** No {@code content:} section. */
  public static final ContentConfig NONE = new ContentConfig(false, ContentPolicy.DEFAULT_LOOK_AHEAD,
      ContentPolicy.DEFAULT_SCAN_LIMIT, ContentPolicy.DEFAULT_TOP_PHRASES, StarterPhrases.LANGUAGES, Map.of(),
      Map.of(), GroupRules.OFF, List.of(), false, ContentPolicy.DEFAULT_EXCERPT);

  public ContentConfig {
    languages = List.copyOf(languages);
    themes = Map.copyOf(themes);
    groups = Map.copyOf(groups);
    Objects.requireNonNull(otherGroups, "otherGroups");
    aiCategories = List.copyOf(aiCategories);
    for (String lang : languages) {
      if (!StarterPhrases.LANGUAGES.contains(lang)) {
        throw new IllegalArgumentException("content.languages: no starter lists for '" + lang
            + "' (expected some of: " + String.join(", ", StarterPhrases.LANGUAGES) + ")");
      }
    }
  }

  /** The rules of {@code group}: its own, or those for groups not named. */
  public GroupRules rulesOf(GroupId group) {
    return groups.getOrDefault(group, otherGroups);
  }

  /**
   * One theme's lists and threshold.
   *
   * @param threshold the score at which the theme's action applies (groups may override)
   * @param lists the school's phrase files (resolved against the policy's directory)
   * @param starter whether the starter lists are used too
   */
  public record ThemeLists(int threshold, List<Path> lists, boolean starter) {
    public static final ThemeLists DEFAULTS = new ThemeLists(ContentPolicy.DEFAULT_THRESHOLD, List.of(), true);

    public ThemeLists {
      lists = List.copyOf(lists);
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold is " + threshold + " (expected: 1 or more, e.g. 100)");
      }
    }
  }

  /**
   * A group's rules.
   *
   * @param actions per theme (themes left out are off)
   * @param thresholds per theme, overriding the theme's threshold
   */
  public record GroupRules(Map<ContentTheme, ContentAction> actions, Map<ContentTheme, Integer> thresholds) {
    public static final GroupRules OFF = new GroupRules(Map.of(), Map.of());

    public GroupRules {
      actions = Map.copyOf(actions);
      thresholds = Map.copyOf(thresholds);
    }
  }
}
