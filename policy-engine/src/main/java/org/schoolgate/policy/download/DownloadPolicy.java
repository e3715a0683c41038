package org.schoolgate.policy.download;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.GroupId;

/**
 * The compiled {@code downloads:} section: each group's {@link DownloadRules}, and the rules of
 * groups it does not name. {@link #OFF} without the section. Immutable.
 */
public final class DownloadPolicy {
  /** No {@code downloads:} section: nothing is blocked by type. */
  public static final DownloadPolicy OFF = new DownloadPolicy(Map.of(), DownloadRules.OFF);

  private final Map<GroupId, DownloadRules> groups;
  private final DownloadRules others;

  public DownloadPolicy(Map<GroupId, DownloadRules> groups, DownloadRules others) {
    this.groups = new HashMap<>(groups);
    this.others = Objects.requireNonNull(others, "others");
  }

  /** {@code group}'s rules (its own, or those for groups not named). Allocates nothing. */
  public DownloadRules rules(GroupId group) {
    DownloadRules r = groups.get(group);
    return r != null ? r : others;
  }

  /** True when some group has a blocked kind. */
  public boolean enabled() {
    return others.enabled() || groups.values().stream().anyMatch(DownloadRules::enabled);
  }
}
