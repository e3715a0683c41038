package org.schoolgate.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.download.FileKind;

/**
 * The policy's {@code downloads:} section: per group, the kinds of file it may not download (see
 * {@code docs/policy-reference.md}). Without it ({@link #NONE}) nothing is blocked by type.
 *
 * <pre>{@code
 * downloads:
 *   groups:
 *     default: [executable, installer, script, disk-image]
 *     staff: []
 * }</pre>
 *
 * @param groups per named group, the blocked kinds
 * @param otherGroups the blocked kinds of groups not named ({@code groups.default}; none when absent)
 */
public record DownloadsConfig(Map<GroupId, List<FileKind>> groups, List<FileKind> otherGroups) {
  /** No {@code downloads:} section. */
  public static final DownloadsConfig NONE = new DownloadsConfig(Map.of(), List.of());

  public DownloadsConfig {
    groups = Map.copyOf(groups);
    groups.values().forEach(l -> Objects.requireNonNull(l, "kinds"));
    groups = Map.copyOf(groups.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    otherGroups = List.copyOf(otherGroups);
  }

  /** The kinds {@code group} may not download. */
  public List<FileKind> blockedFor(GroupId group) {
    return groups.getOrDefault(group, otherGroups);
  }
}
