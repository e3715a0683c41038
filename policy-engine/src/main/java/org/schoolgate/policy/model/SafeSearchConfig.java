package org.schoolgate.policy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.GroupId;

/**
 * The policy's {@code safesearch:} section: per group, whether search engines are sent to their
 * safe variants (Google → forcesafesearch.google.com, Bing → strict.bing.com, DuckDuckGo →
 * safe.duckduckgo.com) and which YouTube restriction applies. Without the section every group
 * gets {@code enforce} and {@code strict} (fail closed for pupils).
 *
 * <pre>{@code
 * safesearch:
 *   search:  { default: enforce, staff: off }
 *   youtube: { default: strict, ks3-4: moderate, staff: off }
 * }</pre>
 *
 * @param searchDefault for groups not named in {@code search}
 * @param search per-group search modes
 * @param youtubeDefault for groups not named in {@code youtube}
 * @param youtube per-group YouTube modes
 */
public record SafeSearchConfig(SearchMode searchDefault, Map<GroupId, SearchMode> search,
    YouTubeMode youtubeDefault, Map<GroupId, YouTubeMode> youtube) {

  /** Enforce and strict for every group. */
  public static final SafeSearchConfig DEFAULTS =
      new SafeSearchConfig(SearchMode.ENFORCE, Map.of(), YouTubeMode.STRICT, Map.of());

  public SafeSearchConfig {
    Objects.requireNonNull(searchDefault, "searchDefault (expected: enforce or off)");
    Objects.requireNonNull(youtubeDefault, "youtubeDefault (expected: strict, moderate or off)");
    search = Collections.unmodifiableMap(new LinkedHashMap<>(search));
    youtube = Collections.unmodifiableMap(new LinkedHashMap<>(youtube));
  }

  /** The search mode of {@code group}. */
  public SearchMode searchFor(GroupId group) {
    return search.getOrDefault(group, searchDefault);
  }

  /** The YouTube mode of {@code group}. */
  public YouTubeMode youtubeFor(GroupId group) {
    return youtube.getOrDefault(group, youtubeDefault);
  }

  /** Whether search engines are sent to their safe variants. */
  public enum SearchMode {
    ENFORCE, OFF;

    /** The word in the policy file. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code text} (any case), or null. */
    public static SearchMode fromConfigName(String text) {
      for (SearchMode m : values()) {
        if (m.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      return null;
    }
  }

  /** YouTube's restricted mode: strict, moderate, or not enforced. */
  public enum YouTubeMode {
    STRICT, MODERATE, OFF;

    /** The word in the policy file. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code text} (any case), or null. */
    public static YouTubeMode fromConfigName(String text) {
      for (YouTubeMode m : values()) {
        if (m.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      return null;
    }
  }
}
