package org.schoolgate.policy.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.download.FileKind;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;

/**
 * Reads the {@code downloads:} section into a {@link DownloadsConfig}, reporting problems through
 * {@link YamlNodes} with file:line:field. Package-private helper of {@link PolicyReader}.
 */
final class DownloadsReader {
  static final String KEY = "downloads";
  private static final List<String> KEYS = List.of("groups");

  private final YamlNodes y;
  private final Set<String> groups;

  DownloadsReader(YamlNodes y, Set<String> groups) {
    this.y = y;
    this.groups = groups;
  }

  DownloadsConfig read(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return DownloadsConfig.NONE;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), KEY, KEYS);
    Map<GroupId, List<FileKind>> rules = new LinkedHashMap<>();
    List<FileKind> other = List.of();
    if (m.containsKey("groups")) {
      for (Map.Entry<String, Entry> g : y.mapping(m.get("groups").value(), KEY + ".groups", null).entrySet()) {
        String field = KEY + ".groups." + g.getKey();
        boolean isDefault = g.getKey().equals("default");
        if (!isDefault && !groups.contains(g.getKey())) {
          y.error(g.getValue().key(), field, "unknown group '" + g.getKey() + "'" + YamlNodes.suggestion(g.getKey(), groups)
              + " (expected one of the names under 'groups', or 'default')");
          continue;
        }
        List<FileKind> kinds = kinds(g.getValue(), field);
        if (isDefault) {
          other = kinds;
        } else {
          rules.put(new GroupId(g.getKey()), kinds);
        }
      }
    }
    if (y.errors().size() > before) {
      return DownloadsConfig.NONE;
    }
    return new DownloadsConfig(rules, other);
  }

  /** {@code [executable, script]}, {@code []} or {@code all}. */
  private List<FileKind> kinds(Entry e, String field) {
    List<FileKind> out = new ArrayList<>();
    if (YamlNodes.isNull(e.value())) {
      return out;
    }
    if (!(e.value() instanceof org.yaml.snakeyaml.nodes.SequenceNode)) {
      String text = y.scalar(e.value(), field);
      if (text != null && text.strip().equals("all")) {
        return FileKind.ALL;
      }
      if (text != null) {
        y.error(e.value(), field, "is '" + text + "' (expected: a list of kinds such as [executable, script],"
            + " [] for none, or all; kinds: " + String.join(", ", FileKind.configNames()) + ")");
      }
      return out;
    }
    for (Scalar s : y.scalars(e.value(), field)) {
      FileKind k = FileKind.fromConfigName(s.text());
      if (k == null) {
        y.error(s.node(), s.field(), "unknown file kind '" + s.text() + "'"
            + YamlNodes.suggestion(s.text().strip(), Set.copyOf(FileKind.configNames()))
            + " (expected some of: " + String.join(", ", FileKind.configNames()) + ")");
      } else if (!out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }
}
