package org.schoolgate.policy.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;
import org.schoolgate.policy.download.FileKind;
import org.schoolgate.policy.search.DownloadAlerts;
import org.schoolgate.policy.search.SearchEngine;
import org.schoolgate.policy.search.Severity;
import org.schoolgate.policy.search.Theme;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code alerts:} section into an {@link AlertsConfig}, reporting problems through
 * {@link YamlNodes} with file:line:field. Package-private helper of {@link PolicyReader}.
 */
final class AlertsReader {
  static final String KEY = "alerts";
  private static final List<String> KEYS =
      List.of("repeated", "burst", "circumvention", "downloads", "search-engines", "themes");
  private static final List<String> DOWNLOAD_KEYS = List.of("threshold", "window", "at-once", "to");
  private static final List<String> REPEATED_KEYS = List.of("threshold", "window", "categories");
  private static final List<String> BURST_KEYS = List.of("threshold", "window");
  private static final List<String> CIRCUMVENTION_KEYS = List.of("window");
  private static final List<String> ENGINE_KEYS = List.of("host", "parameter", "path");
  private static final List<String> THEME_KEYS = List.of("severity", "enabled", "lists");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

  private final YamlNodes y;
  private final Path dir;
  private final Set<String> categories;

  AlertsReader(YamlNodes y, Path dir, Set<String> categories) {
    this.y = y;
    this.dir = dir;
    this.categories = categories;
  }

  AlertsConfig read(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return AlertsConfig.DEFAULTS;
    }
    AlertsConfig d = AlertsConfig.DEFAULTS;
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), KEY, KEYS);
    Map<String, Entry> repeated = section(m, "repeated", REPEATED_KEYS);
    int repeatThreshold = count(repeated.get("threshold"), "alerts.repeated.threshold", d.repeatThreshold());
    Duration repeatWindow = duration(repeated.get("window"), "alerts.repeated.window", d.repeatWindow());
    Map<String, Integer> perCategory = new LinkedHashMap<>(d.repeatThresholds());
    if (repeated.containsKey("categories")) {
      perCategory.clear();
      Map<String, Entry> c = y.mapping(repeated.get("categories").value(), "alerts.repeated.categories", null);
      for (Map.Entry<String, Entry> ce : c.entrySet()) {
        String field = "alerts.repeated.categories." + ce.getKey();
        if (!categories.contains(ce.getKey())) {
          y.error(ce.getValue().key(), field, "unknown category '" + ce.getKey() + "'"
              + YamlNodes.suggestion(ce.getKey(), categories) + " (expected one of the names under 'categories')");
          continue;
        }
        perCategory.put(ce.getKey(), count(ce.getValue(), field, 1));
      }
    }
    Map<String, Entry> burst = section(m, "burst", BURST_KEYS);
    int burstThreshold = count(burst.get("threshold"), "alerts.burst.threshold", d.burstThreshold());
    Duration burstWindow = duration(burst.get("window"), "alerts.burst.window", d.burstWindow());
    Map<String, Entry> circumvention = section(m, "circumvention", CIRCUMVENTION_KEYS);
    Duration circumventionWindow =
        duration(circumvention.get("window"), "alerts.circumvention.window", d.circumventionWindow());
    DownloadAlerts downloads = downloads(section(m, "downloads", DOWNLOAD_KEYS));
    List<SearchEngine> engines = engines(m.get("search-engines"));
    Map<Theme, AlertsConfig.ThemeConfig> themes = themes(m.get("themes"));
    if (y.errors().size() > before) {
      return AlertsConfig.DEFAULTS;
    }
    try {
      return new AlertsConfig(repeatThreshold, perCategory, repeatWindow, burstThreshold, burstWindow,
          circumventionWindow, engines, themes, downloads);
    } catch (IllegalArgumentException ex) {
      y.error(e.key(), KEY, ex.getMessage());
      return AlertsConfig.DEFAULTS;
    }
  }

  private Map<String, Entry> section(Map<String, Entry> m, String key, List<String> keys) {
    Entry e = m.get(key);
    return e == null ? Map.of() : y.mapping(e.value(), KEY + "." + key, keys);
  }

  private int count(Entry e, String field, int fallback) {
    if (e == null) {
      return fallback;
    }
    String text = y.scalar(e.value(), field);
    if (text == null) {
      return fallback;
    }
    String t = text.strip();
    if (!t.matches("\\d{1,6}") || Integer.parseInt(t) < 1) {
      y.error(e.value(), field, "is '" + text + "' (expected: a whole number, 1 or more, e.g. 5)");
      return fallback;
    }
    return Integer.parseInt(t);
  }

  private Duration duration(Entry e, String field, Duration fallback) {
    if (e == null) {
      return fallback;
    }
    String text = y.scalar(e.value(), field);
    if (text == null) {
      return fallback;
    }
    Matcher mm = DURATION.matcher(text.strip());
    if (!mm.matches() || Long.parseLong(mm.group(1)) == 0) {
      y.error(e.value(), field, "is '" + text + "' (expected: a positive duration such as 90s, 10m, 2h or 1d)");
      return fallback;
    }
    long n = Long.parseLong(mm.group(1));
    switch (mm.group(2)) {
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }

  /** {@code alerts.downloads}: each key optional, {@link DownloadAlerts#DEFAULTS} otherwise. */
  private DownloadAlerts downloads(Map<String, Entry> m) {
    DownloadAlerts d = DownloadAlerts.DEFAULTS;
    String f = "alerts.downloads";
    int threshold = count(m.get("threshold"), f + ".threshold", d.threshold());
    Duration window = duration(m.get("window"), f + ".window", d.window());
    java.util.Set<FileKind> atOnce = java.util.EnumSet.noneOf(FileKind.class);
    if (m.containsKey("at-once")) {
      for (Scalar s : y.scalars(m.get("at-once").value(), f + ".at-once")) {
        FileKind kind = FileKind.fromConfigName(s.text());
        if (kind == null) {
          y.error(s.node(), s.field(), "unknown kind '" + s.text().strip() + "' (expected one of: "
              + String.join(", ", FileKind.configNames()) + ")");
        } else {
          atOnce.add(kind);
        }
      }
    }
    DownloadAlerts.To to = d.to();
    if (m.containsKey("to")) {
      String text = y.scalar(m.get("to").value(), f + ".to");
      DownloadAlerts.To t = text == null ? null : DownloadAlerts.To.fromConfigName(text.strip());
      if (t == null && text != null) {
        y.error(m.get("to").value(), f + ".to", "is '" + text + "' (expected: technicians or dsl)");
      } else if (t != null) {
        to = t;
      }
    }
    return new DownloadAlerts(threshold, window, atOnce, to);
  }

  private List<SearchEngine> engines(Entry e) {
    List<SearchEngine> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    List<Node> items = y.sequence(e.value(), "alerts.search-engines");
    for (int i = 0; i < items.size(); i++) {
      String field = "alerts.search-engines[" + i + "]";
      Node item = items.get(i);
      Map<String, Entry> m = y.mapping(item, field, ENGINE_KEYS);
      String host = y.required(m, "host", item, field);
      String parameter = y.required(m, "parameter", item, field);
      String path = m.containsKey("path") ? y.scalar(m.get("path").value(), field + ".path") : null;
      if (host == null || parameter == null || (m.containsKey("path") && path == null)) {
        continue;
      }
      try {
        out.add(new SearchEngine(host, parameter.strip(), path == null ? null : path.strip()));
      } catch (IllegalArgumentException ex) {
        y.error(item, field, ex.getMessage());
      }
    }
    return out;
  }

  private Map<Theme, AlertsConfig.ThemeConfig> themes(Entry e) {
    Map<Theme, AlertsConfig.ThemeConfig> out = new EnumMap<>(Theme.class);
    if (e == null) {
      return out;
    }
    List<String> names = new ArrayList<>();
    for (Theme t : Theme.values()) {
      names.add(t.configName());
    }
    for (Map.Entry<String, Entry> te : y.mapping(e.value(), "alerts.themes", names).entrySet()) {
      Theme theme = Theme.fromConfigName(te.getKey());
      String field = "alerts.themes." + te.getKey();
      Map<String, Entry> m = y.mapping(te.getValue().value(), field, THEME_KEYS);
      Severity severity = theme.defaultSeverity();
      if (m.containsKey("severity")) {
        String text = y.scalar(m.get("severity").value(), field + ".severity");
        Severity s = text == null ? null : Severity.fromConfigName(text);
        if (s == null && text != null) {
          y.error(m.get("severity").value(), field + ".severity", "is '" + text
              + "' (expected: critical, warning or info)");
        } else if (s != null) {
          severity = s;
        }
      }
      boolean enabled = y.flag(m, "enabled", field, true);
      List<Path> lists = new ArrayList<>();
      if (m.containsKey("lists")) {
        for (Scalar s : y.scalars(m.get("lists").value(), field + ".lists")) {
          Path p = dir.resolve(s.text().strip());
          if (!Files.isRegularFile(p)) {
            y.error(s.node(), s.field(), "file " + p + " does not exist (expected: a UTF-8 keyword file,"
                + " one word or phrase per line)");
          } else {
            lists.add(p);
          }
        }
      }
      out.put(theme, new AlertsConfig.ThemeConfig(severity, enabled, lists));
    }
    return out;
  }
}
