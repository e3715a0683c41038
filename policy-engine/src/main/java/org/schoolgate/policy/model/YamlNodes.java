package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.PolicyError;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads SnakeYAML nodes and records errors with file:line:field instead of throwing, so one pass
 * reports every problem. Package-private helper of {@link PolicyReader}.
 */
final class YamlNodes {
  private final Path file;
  private final List<PolicyError> errors = new ArrayList<>();
  private final List<PolicyError> warnings = new ArrayList<>();

  YamlNodes(Path file) {
    this.file = file;
  }

  List<PolicyError> errors() {
    return errors;
  }

  List<PolicyError> warnings() {
    return warnings;
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  void error(Node at, String field, String message) {
    errors.add(new PolicyError(file, line(at), field, message));
  }

  void warn(Node at, String field, String message) {
    warnings.add(new PolicyError(file, line(at), field, message));
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
  }

  /** A mapping's entries by key (in order), with the key nodes; reports duplicates and unknown keys. */
  Map<String, Entry> mapping(Node node, String field, Collection<String> allowedKeys) {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (isNull(node)) {
      return out;
    }
    if (!(node instanceof MappingNode m)) {
      error(node, field, "is a " + kind(node) + " (expected: a mapping of name: value)");
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      Node keyNode = t.getKeyNode();
      if (!(keyNode instanceof ScalarNode k)) {
        error(keyNode, field, "has a key that is a " + kind(keyNode) + " (expected: a plain name)");
        continue;
      }
      String key = k.getValue();
      String keyField = field.isEmpty() ? key : field + "." + key;
      if (out.containsKey(key)) {
        error(keyNode, keyField, "is given twice (expected: each key once; the first is on line "
            + line(out.get(key).key()) + ")");
        continue;
      }
      if (allowedKeys != null && !allowedKeys.contains(key)) {
        error(keyNode, keyField, "unknown key '" + key + "'" + suggestion(key, allowedKeys)
            + " (expected one of: " + String.join(", ", allowedKeys) + ")");
        continue;
      }
      out.put(key, new Entry(keyNode, t.getValueNode()));
    }
    return out;
  }

  /** A scalar's text, or null (with an error) when the node is not a scalar. */
  String scalar(Node node, String field) {
    if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
      return s.getValue();
    }
    error(node, field, "is " + (isNull(node) ? "empty" : "a " + kind(node)) + " (expected: a value)");
    return null;
  }

  /** The text of {@code key} in {@code m}, or null with an error on {@code owner} when it is missing. */
  String required(Map<String, Entry> m, String key, Node owner, String field) {
    Entry e = m.get(key);
    if (e == null) {
      error(owner, field, "has no '" + key + "' (expected: " + key + ": ...)");
      return null;
    }
    return scalar(e.value(), field + "." + key);
  }

  /**
   * The {@code true}/{@code false} value of {@code key} in {@code m} ({@code field} is the
   * owner's); {@code fallback} when it is missing or (with an error) anything else.
   */
  boolean flag(Map<String, Entry> m, String key, String field, boolean fallback) {
    Entry e = m.get(key);
    if (e == null) {
      return fallback;
    }
    String text = scalar(e.value(), field + "." + key);
    if ("true".equals(text)) {
      return true;
    }
    if ("false".equals(text)) {
      return false;
    }
    if (text != null) {
      error(e.value(), field + "." + key, "is '" + text + "' (expected: true or false)");
    }
    return fallback;
  }

  /** A sequence's items; a missing value is an empty list. */
  List<Node> sequence(Node node, String field) {
    if (isNull(node)) {
      return List.of();
    }
    if (node instanceof SequenceNode s) {
      return s.getValue();
    }
    error(node, field, "is a " + kind(node) + " (expected: a list such as [a, b])");
    return List.of();
  }

  /** A sequence of scalars. */
  List<Scalar> scalars(Node node, String field) {
    List<Scalar> out = new ArrayList<>();
    List<Node> items = sequence(node, field);
    for (int i = 0; i < items.size(); i++) {
      String itemField = field + "[" + i + "]";
      String text = scalar(items.get(i), itemField);
      if (text != null) {
        out.add(new Scalar(items.get(i), itemField, text));
      }
    }
    return out;
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "value";
  }

  /** ", did you mean 'x'?" for a near miss, or "". */
  static String suggestion(String given, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(given, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(1, given.length() / 3) ? ", did you mean '" + best + "'?" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** A mapping entry with its key node (for the line). */
  record Entry(Node key, Node value) {}

  /** A scalar with its node and field path. */
  record Scalar(Node node, String field, String text) {}
}
