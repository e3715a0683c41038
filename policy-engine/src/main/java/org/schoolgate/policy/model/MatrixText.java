package org.schoolgate.policy.model;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Changes one matrix cell in a policy file's text and leaves every other character as it was
 * (comments, order, spacing): the cell's value is replaced where SnakeYAML's node marks say it
 * stands, or, for a group the row does not name yet, added to the row — inside its braces for a
 * flow row ({@code { default: unacceptable, ks2: acceptable }}), as a new line at the row's
 * indentation for a block row. The result is not validated here: compile it before using it.
 *
 * <pre>{@code
 * String next = MatrixText.withCell(text, "gambling", "staff", "acceptable");
 * }</pre>
 */
public final class MatrixText {
  private MatrixText() {}

  /**
   * The text with {@code matrix.<category>.<key>} set to {@code cell} (YAML flow text: {@code
   * acceptable} or {@code { at-times: [lunch] }}); {@code key} is a group or {@code default}.
   * Throws IllegalArgumentException when the text has no such row or is not YAML.
   */
  public static String withCell(String text, String category, String key, String cell) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (YAMLException e) {
      throw new IllegalArgumentException("the policy file is not valid YAML: " + e.getMessage(), e);
    }
    MappingNode matrix = mapping(value(root, "matrix"), "matrix");
    Node rowNode = value(matrix, category);
    if (rowNode == null) {
      throw new IllegalArgumentException("the policy file has no matrix row for '" + category + "'");
    }
    MappingNode row = mapping(rowNode, "matrix." + category);
    Node old = value(row, key);
    if (old != null) {
      return text.substring(0, at(text, old.getStartMark())) + cell + text.substring(at(text, old.getEndMark()));
    }
    List<NodeTuple> tuples = row.getValue();
    if (row.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
      int end = at(text, row.getEndMark());
      int brace = text.lastIndexOf('}', end - 1);
      int insert = brace;
      while (insert > 0 && text.charAt(insert - 1) == ' ') {
        insert--;
      }
      String sep = tuples.isEmpty() ? "" : ", ";
      return text.substring(0, insert) + sep + key + ": " + cell + text.substring(insert);
    }
    Node lastValue = tuples.get(tuples.size() - 1).getValueNode();
    int column = tuples.get(0).getKeyNode().getStartMark().getColumn();
    int lineEnd = text.indexOf('\n', at(text, lastValue.getEndMark()) - 1);
    if (lineEnd < 0) {
      lineEnd = text.length();
    }
    return text.substring(0, lineEnd) + "\n" + " ".repeat(column) + key + ": " + cell + text.substring(lineEnd);
  }

  private static MappingNode mapping(Node node, String field) {
    if (!(node instanceof MappingNode m)) {
      throw new IllegalArgumentException("'" + field + "' in the policy file is not a mapping");
    }
    return m;
  }

  private static Node value(Node node, String key) {
    if (!(node instanceof MappingNode m)) {
      return null;
    }
    Node found = null;
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        found = t.getValueNode(); // the last one wins, as when the file is read
      }
    }
    return found;
  }

  /** A mark's place as a Java string index (SnakeYAML counts code points). */
  private static int at(String text, Mark mark) {
    return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
  }
}
