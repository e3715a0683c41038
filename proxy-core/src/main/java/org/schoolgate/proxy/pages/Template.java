package org.schoolgate.proxy.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTML template with {@code {{name}}} placeholders, split once into literal text and slots so
 * rendering is one pass of appends. Values are HTML-escaped when rendered.
 */
final class Template {
  private final List<String> literals = new ArrayList<>();
  private final List<String> slots = new ArrayList<>();

  private Template(String text, String source) {
    int at = 0;
    while (true) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        literals.add(text.substring(at));
        return;
      }
      int close = text.indexOf("}}", open);
      if (close < 0) {
        throw new IllegalArgumentException(source + ": '{{' at " + open + " is not closed"
            + " (expected: {{name}})");
      }
      literals.add(text.substring(at, open));
      slots.add(text.substring(open + 2, close).trim());
      at = close + 2;
    }
  }

  static Template of(String text) {
    return new Template(text, "template");
  }

  /** Loads a template from the classpath next to this class. */
  static Template load(String resource) {
    try (InputStream in = Template.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("page template " + resource + " is missing from the jar");
      }
      return new Template(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("page template " + resource + " cannot be read", e);
    }
  }

  List<String> slots() {
    return List.copyOf(slots);
  }

  /** Renders with {@code values}; an unknown slot renders empty. */
  String render(Map<String, String> values) {
    StringBuilder sb = new StringBuilder(4096);
    for (int i = 0; i < slots.size(); i++) {
      sb.append(literals.get(i));
      Html.escapeInto(sb, values.getOrDefault(slots.get(i), ""));
    }
    return sb.append(literals.get(literals.size() - 1)).toString();
  }
}
