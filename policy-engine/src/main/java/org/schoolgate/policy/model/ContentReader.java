package org.schoolgate.policy.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentPolicy;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code content:} section into a {@link ContentConfig}, reporting problems through
 * {@link YamlNodes} with file:line:field. Package-private helper of {@link PolicyReader}.
 */
final class ContentReader {
  static final String KEY = "content";
  private static final List<String> KEYS =
      List.of("look-ahead", "scan-limit", "top-phrases", "languages", "themes", "groups", "ai-chat");
  private static final List<String> THEME_KEYS = List.of("threshold", "lists", "starter");
  private static final List<String> RULE_KEYS = List.of("action", "threshold");
  private static final List<String> AI_KEYS = List.of("categories", "prompts", "excerpt");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(B|KiB|MiB|GiB)?");
  private static final String ACTIONS = "off, log, alert or block";

  private final YamlNodes y;
  private final Path dir;
  private final Set<String> groups;
  private final Set<String> categories;

  ContentReader(YamlNodes y, Path dir, Set<String> groups, Set<String> categories) {
    this.y = y;
    this.dir = dir;
    this.groups = groups;
    this.categories = categories;
  }

  ContentConfig read(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return ContentConfig.NONE;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), KEY, KEYS);
    long lookAhead = size(m.get("look-ahead"), KEY + ".look-ahead", ContentPolicy.DEFAULT_LOOK_AHEAD);
    long scanLimit = size(m.get("scan-limit"), KEY + ".scan-limit", ContentPolicy.DEFAULT_SCAN_LIMIT);
    int top = number(m.get("top-phrases"), KEY + ".top-phrases", ContentPolicy.DEFAULT_TOP_PHRASES, 1, 20);
    List<String> languages = languages(m.get("languages"));
    Map<ContentTheme, ContentConfig.ThemeLists> themes = themes(m.get("themes"));
    Map<GroupId, ContentConfig.GroupRules> rules = new LinkedHashMap<>();
    ContentConfig.GroupRules other = ContentConfig.GroupRules.OFF;
    if (m.containsKey("groups")) {
      for (Map.Entry<String, Entry> g : y.mapping(m.get("groups").value(), KEY + ".groups", null).entrySet()) {
        String field = KEY + ".groups." + g.getKey();
        boolean isDefault = g.getKey().equals("default");
        if (!isDefault && !groups.contains(g.getKey())) {
          y.error(g.getValue().key(), field, "unknown group '" + g.getKey() + "'" + YamlNodes.suggestion(g.getKey(), groups)
              + " (expected one of the names under 'groups', or 'default')");
          continue;
        }
        ContentConfig.GroupRules r = groupRules(g.getValue().value(), field);
        if (isDefault) {
          other = r;
        } else {
          rules.put(new GroupId(g.getKey()), r);
        }
      }
    }
    List<CategoryId> aiCategories = new ArrayList<>();
    boolean prompts = false;
    int excerpt = ContentPolicy.DEFAULT_EXCERPT;
    if (m.containsKey("ai-chat")) {
      String field = KEY + ".ai-chat";
      Map<String, Entry> ai = y.mapping(m.get("ai-chat").value(), field, AI_KEYS);
      if (ai.containsKey("categories")) {
        for (Scalar s : y.scalars(ai.get("categories").value(), field + ".categories")) {
          String c = s.text().strip();
          if (!categories.contains(c)) {
            y.error(s.node(), s.field(), "unknown category '" + c + "'" + YamlNodes.suggestion(c, categories)
                + " (expected one of the names under 'categories', e.g. ai-chat)");
          } else {
            aiCategories.add(new CategoryId(c));
          }
        }
      }
      prompts = y.flag(ai, "prompts", field, true);
      excerpt = number(ai.get("excerpt"), field + ".excerpt", excerpt, 0, 10_000);
    }
    if (y.errors().size() > before) {
      return ContentConfig.NONE;
    }
    if (scanLimit < lookAhead) {
      y.error(m.get("scan-limit").key(), KEY + ".scan-limit", "is below look-ahead (" + lookAhead
          + " bytes) (expected: at least the look-ahead, e.g. 32MiB)");
      return ContentConfig.NONE;
    }
    return new ContentConfig(true, lookAhead, scanLimit, top, languages, themes, rules, other, aiCategories, prompts,
        excerpt);
  }

  private List<String> languages(Entry e) {
    if (e == null) {
      return StarterPhrases.LANGUAGES;
    }
    List<String> out = new ArrayList<>();
    for (Scalar s : y.scalars(e.value(), KEY + ".languages")) {
      String lang = s.text().strip().toLowerCase(java.util.Locale.ROOT);
      if (!StarterPhrases.LANGUAGES.contains(lang)) {
        y.error(s.node(), s.field(), "no starter lists for language '" + s.text() + "' (expected some of: "
            + String.join(", ", StarterPhrases.LANGUAGES) + "; add your own lists under content.themes)");
      } else {
        out.add(lang);
      }
    }
    return out;
  }

  private Map<ContentTheme, ContentConfig.ThemeLists> themes(Entry e) {
    Map<ContentTheme, ContentConfig.ThemeLists> out = new EnumMap<>(ContentTheme.class);
    if (e == null) {
      return out;
    }
    for (Map.Entry<String, Entry> te : y.mapping(e.value(), KEY + ".themes", ContentTheme.configNames()).entrySet()) {
      ContentTheme theme = ContentTheme.fromConfigName(te.getKey());
      String field = KEY + ".themes." + te.getKey();
      Map<String, Entry> m = y.mapping(te.getValue().value(), field, THEME_KEYS);
      int threshold = number(m.get("threshold"), field + ".threshold", ContentPolicy.DEFAULT_THRESHOLD, 1, 100_000);
      boolean starter = y.flag(m, "starter", field, true);
      List<Path> lists = new ArrayList<>();
      if (m.containsKey("lists")) {
        for (Scalar s : y.scalars(m.get("lists").value(), field + ".lists")) {
          Path p = dir.resolve(s.text().strip());
          if (!Files.isRegularFile(p)) {
            y.error(s.node(), s.field(), "file " + p + " does not exist (expected: a UTF-8 phrase list,"
                + " one 'phrase = weight' per line)");
          } else {
            lists.add(p);
          }
        }
      }
      out.put(theme, new ContentConfig.ThemeLists(threshold, lists, starter));
    }
    return out;
  }

  /** {@code staff: log}, or {@code ks2: { default: alert, self-harm: block, drugs: { action: alert, threshold: 80 } }}. */
  private ContentConfig.GroupRules groupRules(Node node, String field) {
    Map<ContentTheme, ContentAction> actions = new EnumMap<>(ContentTheme.class);
    Map<ContentTheme, Integer> thresholds = new EnumMap<>(ContentTheme.class);
    if (!(node instanceof MappingNode)) {
      ContentAction all = action(node, field);
      if (all != null) {
        for (ContentTheme t : ContentTheme.values()) {
          actions.put(t, all);
        }
      }
      return new ContentConfig.GroupRules(actions, thresholds);
    }
    List<String> keys = new ArrayList<>(ContentTheme.configNames());
    keys.add("default");
    Map<String, Entry> m = y.mapping(node, field, keys);
    if (m.containsKey("default")) {
      ContentAction all = action(m.get("default").value(), field + ".default");
      if (all != null) {
        for (ContentTheme t : ContentTheme.values()) {
          actions.put(t, all);
        }
      }
    }
    for (Map.Entry<String, Entry> te : m.entrySet()) {
      if (te.getKey().equals("default")) {
        continue;
      }
      ContentTheme theme = ContentTheme.fromConfigName(te.getKey());
      String themeField = field + "." + te.getKey();
      Node v = te.getValue().value();
      if (v instanceof MappingNode) {
        Map<String, Entry> r = y.mapping(v, themeField, RULE_KEYS);
        String text = y.required(r, "action", v, themeField);
        ContentAction a = text == null ? null : action(r.get("action").value(), themeField + ".action");
        if (a != null) {
          actions.put(theme, a);
        }
        if (r.containsKey("threshold")) {
          thresholds.put(theme, number(r.get("threshold"), themeField + ".threshold", ContentPolicy.DEFAULT_THRESHOLD,
              1, 100_000));
        }
      } else {
        ContentAction a = action(v, themeField);
        if (a != null) {
          actions.put(theme, a);
        }
      }
    }
    return new ContentConfig.GroupRules(actions, thresholds);
  }

  private ContentAction action(Node node, String field) {
    String text = y.scalar(node, field);
    if (text == null) {
      return null;
    }
    ContentAction a = ContentAction.fromConfigName(text);
    if (a == null) {
      y.error(node, field, "unknown action '" + text + "' (expected: " + ACTIONS + ")");
    }
    return a;
  }

  private int number(Entry e, String field, int fallback, int min, int max) {
    if (e == null) {
      return fallback;
    }
    String text = y.scalar(e.value(), field);
    if (text == null) {
      return fallback;
    }
    String t = text.strip();
    if (!t.matches("\\d{1,9}") || Long.parseLong(t) < min || Long.parseLong(t) > max) {
      y.error(e.value(), field, "is '" + text + "' (expected: a whole number from " + min + " to " + max + ")");
      return fallback;
    }
    return Integer.parseInt(t);
  }

  private long size(Entry e, String field, long fallback) {
    if (e == null) {
      return fallback;
    }
    String text = y.scalar(e.value(), field);
    if (text == null) {
      return fallback;
    }
    Matcher mm = SIZE.matcher(text.strip());
    long bytes = -1;
    if (mm.matches()) {
      long n = Long.parseLong(mm.group(1));
      String unit = mm.group(2) == null ? "B" : mm.group(2);
      bytes = n * switch (unit) {
        case "KiB" -> 1024L;
        case "MiB" -> 1024L * 1024;
        case "GiB" -> 1024L * 1024 * 1024;
        default -> 1L;
      };
    }
    if (bytes < 1024 || bytes > 1024L * 1024 * 1024 * 16) {
      y.error(e.value(), field, "is '" + text + "' (expected: a size from 1KiB to 16GiB, such as 256KiB or 32MiB)");
      return fallback;
    }
    return bytes;
  }
}
