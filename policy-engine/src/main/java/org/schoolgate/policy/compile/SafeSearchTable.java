package org.schoolgate.policy.compile;

import java.util.List;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.SafeSearchConfig;
import org.schoolgate.policy.url.GoogleHosts;

/**
 * The compiled {@code safesearch:} section: per group, the safe host each search or video site is
 * connected to instead (null when the group is not enforced). A lookup classifies the host by
 * comparing characters (no allocation) and reads one array.
 *
 * <p>Google search hosts are {@code google.<tld>} and {@code www.google.<tld>}, where the
 * top-level part is one or two labels of 2-3 ASCII letters ({@code com}, {@code de},
 * {@code co.uk}, {@code com.au}).
 */
final class SafeSearchTable {
  static final String GOOGLE_SAFE = "forcesafesearch.google.com";
  static final String YOUTUBE_STRICT = "restrict.youtube.com";
  static final String YOUTUBE_MODERATE = "restrictmoderate.youtube.com";
  static final String BING_SAFE = "strict.bing.com";
  static final String DUCKDUCKGO_SAFE = "safe.duckduckgo.com";

  private static final int GOOGLE = 0;
  private static final int YOUTUBE = 1;
  private static final int BING = 2;
  private static final int DUCKDUCKGO = 3;
  private static final int KINDS = 4;

  private final String[][] byGroup;

  SafeSearchTable(SafeSearchConfig config, List<GroupConfig> groups) {
    byGroup = new String[groups.size()][KINDS];
    for (int g = 0; g < groups.size(); g++) {
      GroupConfig group = groups.get(g);
      boolean search = config.searchFor(group.id()) == SafeSearchConfig.SearchMode.ENFORCE;
      byGroup[g][GOOGLE] = search ? GOOGLE_SAFE : null;
      byGroup[g][BING] = search ? BING_SAFE : null;
      byGroup[g][DUCKDUCKGO] = search ? DUCKDUCKGO_SAFE : null;
      switch (config.youtubeFor(group.id())) {
        case STRICT:
          byGroup[g][YOUTUBE] = YOUTUBE_STRICT;
          break;
        case MODERATE:
          byGroup[g][YOUTUBE] = YOUTUBE_MODERATE;
          break;
        default:
          byGroup[g][YOUTUBE] = null;
      }
    }
  }

  /** The safe host for {@code host} (normalised) and group index {@code g}, or null. */
  String safeHost(int g, String host) {
    if (g < 0 || g >= byGroup.length || host == null) {
      return null;
    }
    int kind = kindOf(host);
    return kind < 0 ? null : byGroup[g][kind];
  }

  static int kindOf(String host) {
    switch (host) {
      case "www.youtube.com":
      case "m.youtube.com":
      case "youtubei.googleapis.com":
      case "youtube.googleapis.com":
      case "www.youtube-nocookie.com":
        return YOUTUBE;
      case "www.bing.com":
      case "bing.com":
        return BING;
      case "duckduckgo.com":
      case "www.duckduckgo.com":
        return DUCKDUCKGO;
      default:
        return GoogleHosts.isGoogleSearch(host) ? GOOGLE : -1;
    }
  }
}
