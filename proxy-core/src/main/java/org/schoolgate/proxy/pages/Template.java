package org.schoolgate.proxy.pages;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTML template with {@code {{name}}} placeholders, split once into literal text and slots so
 * rendering is one pass of appends. Values are HTML-escaped when rendered. A page rendered per
 * request binds its slot names once ({@link #bind}) and renders straight into a buffer: literals
 * pre-encoded as UTF-8, values by position, no map or intermediate string.
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

  /**
   * This template with its slots bound to positions in {@code names}: {@link Bound#render} takes
   * the values in that order. A slot not in {@code names} renders empty.
   */
  Bound bind(String... names) {
    List<String> order = List.of(names);
    int[] index = new int[slots.size()];
    for (int i = 0; i < index.length; i++) {
      index[i] = order.indexOf(slots.get(i));
    }
    byte[][] bytes = new byte[literals.size()][];
    int total = 0;
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
      total += bytes[i].length;
    }
    return new Bound(bytes, index, total);
  }

  /** A template whose slots are filled by position; thread-safe (immutable). */
  static final class Bound {
    private final byte[][] literals;
    private final int[] index;
    private final int literalBytes;

    private Bound(byte[][] literals, int[] index, int literalBytes) {
      this.literals = literals;
      this.index = index;
      this.literalBytes = literalBytes;
    }

    /** The bytes of the literal text alone (a size hint for the buffer). */
    int literalBytes() {
      return literalBytes;
    }

    /** Appends the page to {@code out}, each value HTML-escaped and UTF-8 encoded. */
    void render(ByteBuf out, String[] values) {
      for (int i = 0; i < index.length; i++) {
        out.writeBytes(literals[i]);
        int v = index[i];
        if (v >= 0) {
          Html.escapeInto(out, values[v]);
        }
      }
      out.writeBytes(literals[literals.length - 1]);
    }
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
