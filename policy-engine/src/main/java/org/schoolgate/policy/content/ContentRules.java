package org.schoolgate.policy.content;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.phrase.PhraseSet;

/**
 * One group's content-analysis rules: per theme the action ({@code log}, {@code alert},
 * {@code block}, or off) and the score threshold, over the policy's compiled phrases. Built
 * once per policy compile; immutable and thread-safe. {@link #newScan} starts the analysis of
 * one body.
 */
public final class ContentRules {
  /** Analysis off: {@link #enabled()} is false and scans find nothing. */
  public static final ContentRules OFF = new ContentRules(new GroupId("none"), PhraseSet.builder().build(),
      Map.of(), Map.of(), 5, Long.MAX_VALUE);

  private final GroupId group;
  private final PhraseSet phrases;
  private final ContentAction[] actions = new ContentAction[ContentTheme.COUNT];
  private final int[] thresholds = new int[ContentTheme.COUNT];
  private final int topPhrases;
  private final long scanLimitChars;
  private final boolean enabled;
  private final boolean blocks;

  /**
   * @param group the group these rules are for
   * @param phrases the compiled phrases of every theme
   * @param actions per theme (themes left out are off)
   * @param thresholds per theme (themes left out: {@link ContentPolicy#DEFAULT_THRESHOLD})
   * @param topPhrases how many phrases per theme a verdict keeps (1 to 20)
   * @param scanLimitChars characters read per body; the rest passes unread
   */
  public ContentRules(GroupId group, PhraseSet phrases, Map<ContentTheme, ContentAction> actions,
      Map<ContentTheme, Integer> thresholds, int topPhrases, long scanLimitChars) {
    this.group = Objects.requireNonNull(group, "group");
    this.phrases = Objects.requireNonNull(phrases, "phrases");
    if (topPhrases < 1 || topPhrases > 20) {
      throw new IllegalArgumentException("top-phrases is " + topPhrases + " (expected: 1 to 20)");
    }
    if (scanLimitChars < 1) {
      throw new IllegalArgumentException("scan limit is " + scanLimitChars + " (expected: 1 or more characters)");
    }
    this.topPhrases = topPhrases;
    this.scanLimitChars = scanLimitChars;
    Arrays.fill(this.actions, ContentAction.OFF);
    Arrays.fill(this.thresholds, ContentPolicy.DEFAULT_THRESHOLD);
    actions.forEach((t, a) -> this.actions[t.ordinal()] = Objects.requireNonNull(a, "action of " + t.configName()));
    thresholds.forEach((t, n) -> {
      if (n < 1) {
        throw new IllegalArgumentException("threshold of " + t.configName() + " for group '" + group + "' is " + n
            + " (expected: 1 or more)");
      }
      this.thresholds[t.ordinal()] = n;
    });
    this.enabled = Arrays.stream(this.actions).anyMatch(a -> a != ContentAction.OFF);
    this.blocks = Arrays.stream(this.actions).anyMatch(a -> a == ContentAction.BLOCK);
  }

  /** The group these rules are for. */
  public GroupId group() {
    return group;
  }

  /** True when any theme is analysed for the group (false: the proxy need not decode bodies). */
  public boolean enabled() {
    return enabled;
  }

  /**
   * True when any theme blocks for the group: the proxy holds an HTML page's look-ahead before
   * forwarding, and a failed analysis blocks ({@link #onFailure}).
   */
  public boolean blocks() {
    return blocks;
  }

  public ContentAction action(ContentTheme theme) {
    return actions[theme.ordinal()];
  }

  public int threshold(ContentTheme theme) {
    return thresholds[theme.ordinal()];
  }

  /** Starts the analysis of one body read as {@code format}. */
  public ContentScan newScan(TextFormat format) {
    return new ContentScan(this, Objects.requireNonNull(format, "format"));
  }

  /**
   * What the proxy does when analysing a body failed (a decoder error, an exception, an
   * overloaded analysis executor): for a group with a {@code block} theme the response is
   * blocked (fail closed); otherwise it passes unanalysed (monitoring fails open). The proxy
   * counts either.
   */
  public ContentDecision onFailure(String what) {
    return blocks
        ? new ContentDecision.Block(null, "content analysis failed (" + what + ") and " + group
            + " has block rules, so the page is blocked (fail closed)")
        : new ContentDecision.None("content analysis failed (" + what + "); " + group
            + " only logs or alerts, so the page passes unanalysed (fail open)");
  }

  PhraseSet phrases() {
    return phrases;
  }

  ContentAction actionAt(int theme) {
    return actions[theme];
  }

  int thresholdAt(int theme) {
    return thresholds[theme];
  }

  int topPhrases() {
    return topPhrases;
  }

  long scanLimitChars() {
    return scanLimitChars;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ContentRules[").append(group);
    for (ContentTheme t : ContentTheme.ALL) {
      if (actions[t.ordinal()] != ContentAction.OFF) {
        b.append(", ").append(t.configName()).append('=').append(actions[t.ordinal()].configName())
            .append('@').append(thresholds[t.ordinal()]);
      }
    }
    return b.append(']').toString();
  }
}
