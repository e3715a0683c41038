package org.schoolgate.policy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;

/**
 * The policy's {@code interception:} section: which CONNECT tunnels the proxy decrypts with the
 * school's CA. Opt-in: without the section ({@link #NONE}) nothing is intercepted.
 *
 * <pre>{@code
 * interception:
 *   groups: { default: off, ks3-4: search-and-blocked, sixth-form: search }
 *   categories: [ ]            # extra categories intercepted for groups with interception on
 *   never: [ never-intercept ] # categories never intercepted (always win)
 * }</pre>
 *
 * @param groupDefault the mode of groups not named in {@code groups}
 * @param groups per-group modes
 * @param categories extra categories whose sites are intercepted for groups not {@code off}
 * @param never categories never intercepted, whatever else applies
 */
public record InterceptionConfig(Mode groupDefault, Map<GroupId, Mode> groups,
    List<CategoryId> categories, List<CategoryId> never) {

  /** No {@code interception:} section: nothing is intercepted. */
  public static final InterceptionConfig NONE =
      new InterceptionConfig(Mode.OFF, Map.of(), List.of(), List.of());

  public InterceptionConfig {
    Objects.requireNonNull(groupDefault, "groupDefault (expected: off, search, search-and-blocked, paths or all)");
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    categories = List.copyOf(categories);
    never = List.copyOf(never);
  }

  /** The mode of {@code group}. */
  public Mode modeFor(GroupId group) {
    return groups.getOrDefault(group, groupDefault);
  }

  /** What a group's tunnels are intercepted for. */
  public enum Mode {
    /** Nothing. */
    OFF("off"),
    /** Search engines and video sites. */
    SEARCH("search"),
    /** Search engines, video sites and sites that would be blocked (for a real block page). */
    SEARCH_AND_BLOCKED("search-and-blocked"),
    /**
     * Only sites the lists name paths under ({@code urls} entries for the host or a parent
     * domain), so those entries apply inside HTTPS; every other site stays end to end.
     */
    PATHS("paths"),
    /** Everything not in {@code never}. */
    ALL("all");

    private final String configName;

    Mode(String configName) {
      this.configName = configName;
    }

    /** The word in the policy file. */
    public String configName() {
      return configName;
    }

    /** The mode named {@code text} (any case), or null. */
    public static Mode fromConfigName(String text) {
      String t = text.strip().toLowerCase(Locale.ROOT);
      for (Mode m : values()) {
        if (m.configName.equals(t)) {
          return m;
        }
      }
      return null;
    }
  }
}
