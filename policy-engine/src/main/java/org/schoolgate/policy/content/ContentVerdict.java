package org.schoolgate.policy.content;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ContentScan} found so far: {@link Clean}, or the strongest action among the
 * themes whose score passed the group's threshold ({@link Log}, {@link Alert}, {@link Block}),
 * with the theme that decided and every theme over its threshold, each with its top phrases.
 *
 * <pre>{@code
 * switch (scan.verdict()) {
 *   case ContentVerdict.Clean c -> forward();
 *   case ContentVerdict.Log l -> log(l.deciding());
 *   case ContentVerdict.Alert a -> alertDsl(a.deciding().theme(), a.deciding().top());
 *   case ContentVerdict.Block b -> serveBlockPage(b.deciding());
 * }
 * }</pre>
 */
public sealed interface ContentVerdict {
  /** The action this verdict asks for. */
  ContentAction action();

  /** The theme that decided; null only for {@link Clean}. */
  ThemeHit deciding();

  /** Every theme over its threshold, strongest action first (empty for {@link Clean}). */
  List<ThemeHit> over();

  /** Nothing passed a threshold (or analysis is off). */
  record Clean() implements ContentVerdict {
    /** The one instance. */
    public static final Clean INSTANCE = new Clean();

    @Override
    public ContentAction action() {
      return ContentAction.OFF;
    }

    @Override
    public ThemeHit deciding() {
      return null;
    }

    @Override
    public List<ThemeHit> over() {
      return List.of();
    }
  }

  /** The strongest theme over its threshold is logged only. */
  record Log(ThemeHit deciding, List<ThemeHit> over) implements ContentVerdict {
    public Log {
      Objects.requireNonNull(deciding, "deciding");
      over = List.copyOf(over);
    }

    @Override
    public ContentAction action() {
      return ContentAction.LOG;
    }
  }

  /** The strongest theme over its threshold alerts the DSL. */
  record Alert(ThemeHit deciding, List<ThemeHit> over) implements ContentVerdict {
    public Alert {
      Objects.requireNonNull(deciding, "deciding");
      over = List.copyOf(over);
    }

    @Override
    public ContentAction action() {
      return ContentAction.ALERT;
    }
  }

  /** The strongest theme over its threshold blocks the page. */
  record Block(ThemeHit deciding, List<ThemeHit> over) implements ContentVerdict {
    public Block {
      Objects.requireNonNull(deciding, "deciding");
      over = List.copyOf(over);
    }

    @Override
    public ContentAction action() {
      return ContentAction.BLOCK;
    }
  }

  /**
   * One theme over its threshold.
   *
   * @param theme the theme
   * @param action what the group's policy does for it
   * @param score the page's score (matches × weights, each phrase counted at most
   *     {@link ContentScan#MAX_REPEATS} times; context phrases subtract)
   * @param threshold the group's threshold for the theme
   * @param top the phrases that added most, most first (at most the policy's {@code top-phrases})
   */
  record ThemeHit(ContentTheme theme, ContentAction action, int score, int threshold, List<PhraseHit> top) {
    public ThemeHit {
      Objects.requireNonNull(theme, "theme");
      Objects.requireNonNull(action, "action");
      top = List.copyOf(top);
    }

    /** e.g. {@code self-harm 140/100: kill myself ×2, want to die} for logs and alerts. */
    public String summary() {
      StringBuilder b = new StringBuilder(theme.configName()).append(' ').append(score).append('/').append(threshold);
      for (int i = 0; i < top.size(); i++) {
        b.append(i == 0 ? ": " : ", ").append(top.get(i).phrase());
        if (top.get(i).count() > 1) {
          b.append(" \u00d7").append(top.get(i).count());
        }
      }
      return b.toString();
    }
  }

  /**
   * A phrase that matched.
   *
   * @param phrase the phrase as its list wrote it
   * @param weight its weight
   * @param count how often it matched (counted at most {@link ContentScan#MAX_REPEATS} times)
   */
  record PhraseHit(String phrase, int weight, int count) {
    public PhraseHit {
      Objects.requireNonNull(phrase, "phrase");
    }
  }
}
