package org.schoolgate.policy.download;

import java.util.Collection;
import java.util.Objects;
import org.schoolgate.policy.GroupId;

/**
 * One group's blocked file kinds. Immutable; {@link #blocks} is a bit test (no allocation).
 *
 * <pre>{@code
 * DownloadRules r = snapshot.downloadRules(group);
 * if (r.enabled()) { ... FileTypes.ofHeaders(path, type, disposition, r) ... }
 * }</pre>
 */
public final class DownloadRules {
  /** Nothing blocked. */
  public static final DownloadRules OFF = new DownloadRules(new GroupId("none"), java.util.List.of());

  private final GroupId group;
  private final int mask;

  public DownloadRules(GroupId group, Collection<FileKind> blocked) {
    this.group = Objects.requireNonNull(group, "group");
    int m = 0;
    for (FileKind k : blocked) {
      m |= 1 << Objects.requireNonNull(k, "kind").ordinal();
    }
    this.mask = m;
  }

  public GroupId group() {
    return group;
  }

  /** True when some kind is blocked for the group. */
  public boolean enabled() {
    return mask != 0;
  }

  /** True when {@code kind} is blocked for the group. */
  public boolean blocks(FileKind kind) {
    return (mask & (1 << kind.ordinal())) != 0;
  }

  /**
   * True when a blocked kind can be told from a body's first bytes ({@link FileTypes#ofBytes}),
   * so the proxy peeks at them; disk images are told by name and type only.
   */
  public boolean needsBytes() {
    return (mask & ~(1 << FileKind.DISK_IMAGE.ordinal())) != 0;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("DownloadRules[").append(group);
    for (FileKind k : FileKind.ALL) {
      if (blocks(k)) {
        b.append(", ").append(k.configName());
      }
    }
    return b.append(']').toString();
  }
}
