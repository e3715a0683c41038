package org.schoolgate.policy.content;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.phrase.PhraseSet;

/**
 * The compiled {@code content:} section: the phrase automaton (starter lists plus the school's),
 * each group's {@link ContentRules}, and the knobs the proxy reads. Built once per policy
 * compile and read from {@code PolicySnapshot.contentPolicy()}; immutable and thread-safe.
 *
 * @param phrases every theme's phrases, compiled
 * @param rules per group; groups left out are off
 * @param lookAheadBytes how much of an HTML body the proxy holds, for groups with {@code block}
 *     rules, before it forwards anything (then decides: block page, or forward and go on scanning)
 * @param scanLimitBytes how much of one body is analysed; the rest passes unread (and is counted)
 * @param topPhrases how many phrases per theme a verdict keeps for the alert
 * @param aiCategories the categories whose sites are generative-AI chat tools: their request
 *     bodies (prompts) are scored too when {@code aiPrompts}
 * @param aiPrompts whether prompts sent to AI chat tools are scored
 * @param excerptChars how much of a prompt and of an answer an alert quotes
 */
public record ContentPolicy(PhraseSet phrases, Map<GroupId, ContentRules> rules, long lookAheadBytes,
    long scanLimitBytes, int topPhrases, List<CategoryId> aiCategories, boolean aiPrompts, int excerptChars) {
  /** A theme's threshold when the policy sets none. */
  public static final int DEFAULT_THRESHOLD = 100;
  /** {@code look-ahead} when the policy sets none: 256 KiB. */
  public static final long DEFAULT_LOOK_AHEAD = 256 * 1024;
  /** {@code scan-limit} when the policy sets none: 32 MiB. */
  public static final long DEFAULT_SCAN_LIMIT = 32L * 1024 * 1024;
  /** {@code top-phrases} when the policy sets none. */
  public static final int DEFAULT_TOP_PHRASES = 5;
  /** {@code ai-chat.excerpt} when the policy sets none: characters. */
  public static final int DEFAULT_EXCERPT = 500;
  /** No {@code content:} section: every group off. */
  public static final ContentPolicy OFF = new ContentPolicy(PhraseSet.builder().build(), Map.of(),
      DEFAULT_LOOK_AHEAD, DEFAULT_SCAN_LIMIT, DEFAULT_TOP_PHRASES, List.of(), false, DEFAULT_EXCERPT);

  public ContentPolicy {
    Objects.requireNonNull(phrases, "phrases");
    rules = Map.copyOf(rules);
    aiCategories = List.copyOf(aiCategories);
    if (lookAheadBytes < 1024) {
      throw new IllegalArgumentException("content.look-ahead is " + lookAheadBytes + " bytes (expected: 1KiB or more,"
          + " e.g. 256KiB)");
    }
    if (scanLimitBytes < lookAheadBytes) {
      throw new IllegalArgumentException("content.scan-limit (" + scanLimitBytes + " bytes) is below content.look-ahead ("
          + lookAheadBytes + " bytes) (expected: at least the look-ahead)");
    }
    if (excerptChars < 0 || excerptChars > 10_000) {
      throw new IllegalArgumentException("content.ai-chat.excerpt is " + excerptChars
          + " (expected: 0 to 10000 characters)");
    }
  }

  /** {@code group}'s rules ({@link ContentRules#OFF} for a group without any). Allocates nothing. */
  public ContentRules rules(GroupId group) {
    ContentRules r = rules.get(group);
    return r == null ? ContentRules.OFF : r;
  }

  /** True when a request listed in {@code categories} goes to an AI chat tool. Allocates nothing. */
  public boolean isAiChat(CategorySet categories) {
    for (int i = 0; i < aiCategories.size(); i++) {
      if (categories.contains(aiCategories.get(i))) {
        return true;
      }
    }
    return false;
  }
}
