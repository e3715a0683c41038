package org.schoolgate.policy.content.text;

import java.util.Arrays;

/**
 * A light HTML text extractor, streaming: the text between tags, with {@code <script>} and
 * {@code <style>} contents, comments, doctype and processing instructions skipped, common
 * entities decoded (named ones such as {@code &amp; &nbsp; &eacute;}, and numeric ones), and the
 * values of {@code alt} and {@code title} attributes read as text. Inline formatting tags
 * ({@code b i em strong span a u s small mark font sub sup wbr ...}) do not split a word, so
 * {@code su<b>ic</b>ide} reads as one; every other tag is a break. Not a parser: no tree, no
 * error recovery beyond "skip to the next {@code >}", which is all that phrase analysis needs.
 *
 * <p>State: the current mode, a packed tag and attribute name (up to 12 letters), an entity of
 * up to 10 characters and the progress through {@code </script}; nothing grows with the page.
 */
final class HtmlText implements TextExtractor {
  private static final int TEXT = 0;
  private static final int TAG_OPEN = 1;
  private static final int TAG_NAME = 2;
  private static final int IN_TAG = 3;
  private static final int ATTR_NAME = 4;
  private static final int AFTER_ATTR_NAME = 5;
  private static final int BEFORE_VALUE = 6;
  private static final int VALUE_QUOTED = 7;
  private static final int VALUE_UNQUOTED = 8;
  private static final int BANG = 9;
  private static final int BANG_DASH = 10;
  private static final int COMMENT = 11;
  private static final int SKIP_TO_GT = 12;
  private static final int RAW = 13;
  private static final int ENTITY = 14;

  private static final int MAX_NAME = 12;
  private static final int MAX_ENTITY = 10;
  private static final long TOO_LONG = -1;
  private static final long SCRIPT = pack("script");
  private static final long STYLE = pack("style");
  private static final long ALT = pack("alt");
  private static final long TITLE = pack("title");
  private static final char[] SCRIPT_CHARS = "script".toCharArray();
  private static final char[] STYLE_CHARS = "style".toCharArray();
  private static final long[] INLINE = sorted("a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del",
      "dfn", "em", "font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
      "sup", "time", "tt", "u", "var", "wbr");
  /** {@link #INLINE} as an open-addressed table (one probe per tag instead of a binary search). */
  private static final long[] INLINE_TABLE = table(INLINE);
  private static final char[][] ACCENT_SUFFIXES = chars("acute", "grave", "uml", "circ", "tilde", "cedil", "ring",
      "slash", "caron", "ogon", "dot");
  private static final String NAMED = "amp&lt<gt>quot\"apos'rsquo'lsquo'nbsp ensp emsp thinsp shy\u00adzwnj\u200czwj\u200d"
      + "szlig\u00dfaelig\u00e6oelig\u0153";
  private static final long[] NAMED_KEYS;
  private static final char[] NAMED_VALUES;

  static {
    java.util.TreeMap<Long, Character> named = new java.util.TreeMap<>();
    int start = 0;
    for (int i = 0; i < NAMED.length(); i++) {
      char c = NAMED.charAt(i);
      if (!(c >= 'a' && c <= 'z')) {
        named.put(pack(NAMED.substring(start, i)), c);
        start = i + 1;
      }
    }
    NAMED_KEYS = new long[named.size()];
    NAMED_VALUES = new char[named.size()];
    int k = 0;
    for (java.util.Map.Entry<Long, Character> e : named.entrySet()) {
      NAMED_KEYS[k] = e.getKey();
      NAMED_VALUES[k++] = e.getValue();
    }
  }

  private final WordFolder out;
  private int state = TEXT;
  private boolean closing;
  private long name;
  private int nameLength;
  private long attr;
  private int attrLength;
  private boolean emitValue;
  private char quote;
  private char[] rawName = SCRIPT_CHARS;
  private int rawMatch;
  private int dashes;
  private final char[] entity = new char[MAX_ENTITY];
  private int entityLength;
  private int entityReturn;

  HtmlText(WordFolder out) {
    this.out = out;
  }

  @Override
  public void feed(char[] buf, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (state == TEXT) { // the hot loop: plain text until markup, folded in one call
        i = out.acceptText(buf, i, end);
        if (i == end) {
          return;
        }
        step(buf[i++]); // '<' or '&'
      } else if (state == VALUE_QUOTED && !emitValue) { // an attribute value nobody reads
        char q = quote;
        while (buf[i] != q) {
          if (++i == end) {
            return;
          }
        }
        step(buf[i++]);
      } else if (state == TAG_NAME || (state == TAG_OPEN && isAsciiLetter(buf[i]))) {
        i = tagName(buf, i, end);
      } else if (state == ATTR_NAME) {
        i = attrName(buf, i, end);
      } else if (state == RAW && rawMatch == 0) { // script or style: only a '<' can end it
        while (buf[i] != '<') {
          if (++i == end) {
            return;
          }
        }
        step(buf[i++]);
      } else {
        step(buf[i++]);
      }
    }
  }

  /**
   * {@link #feed(char[], int, int)} over UTF-8 bytes, ASCII only: reads from {@code from} up to
   * the first non-ASCII byte or {@code end} and returns where it stopped ({@link Utf8Html} decodes
   * the rest). An ASCII byte is the character of the same value, so this reads as the chars do.
   */
  int feedAscii(byte[] buf, int from, int end) {
    int i = from;
    while (i < end) {
      byte b = buf[i];
      if (b < 0) {
        return i;
      }
      if (state == TEXT) {
        i = out.acceptAscii(buf, i, end);
        if (i == end || buf[i] < 0) {
          return i;
        }
        step((char) buf[i++]); // '<' or '&'
      } else if (state == VALUE_QUOTED && !emitValue) {
        byte q = (byte) quote;
        while (buf[i] != q) {
          if (buf[i] < 0) {
            return i;
          }
          if (++i == end) {
            return end;
          }
        }
        step((char) buf[i++]);
      } else if (state == RAW && rawMatch == 0) {
        while (buf[i] != '<') {
          if (buf[i] < 0) {
            return i;
          }
          if (++i == end) {
            return end;
          }
        }
        step((char) buf[i++]);
      } else {
        step((char) b);
        i++;
      }
    }
    return end;
  }

  @Override
  public void feed(CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      step(text.charAt(i));
    }
  }

  @Override
  public void end() {
    if (state == ENTITY) {
      literalEntity();
    }
    out.end();
    state = TEXT;
  }

  @Override
  public void reset() {
    state = TEXT;
    entityLength = 0;
    out.reset();
  }

  private void step(char c) {
    switch (state) {
      case TEXT:
        if (c == '<') {
          state = TAG_OPEN;
        } else if (c == '&') {
          startEntity(TEXT);
        } else {
          out.accept(c);
        }
        return;
      case TAG_OPEN:
        closing = false;
        if (isAsciiLetter(c)) {
          startName(c);
        } else if (c == '/') {
          closing = true;
          nameLength = 0;
          name = 0;
          state = TAG_NAME;
        } else if (c == '!') {
          state = BANG;
        } else if (c == '?') {
          state = SKIP_TO_GT;
        } else { // "a < b": not a tag
          out.boundary();
          state = TEXT;
          step(c);
        }
        return;
      case TAG_NAME:
        if (isAsciiLetter(c) || (c >= '0' && c <= '9' && nameLength > 0)) {
          name = append(name, nameLength++, c);
        } else if (nameLength == 0) {
          state = c == '>' ? TEXT : SKIP_TO_GT; // "</>" or "</ x": bogus
        } else if (c == '>') {
          tagDone();
        } else {
          state = IN_TAG;
        }
        return;
      case IN_TAG:
        if (c == '>') {
          tagDone();
        } else if (!isSpace(c) && c != '/') {
          attr = 0;
          attrLength = 0;
          attr = append(attr, attrLength++, c);
          state = ATTR_NAME;
        }
        return;
      case ATTR_NAME:
        if (c == '=') {
          state = BEFORE_VALUE;
        } else if (c == '>') {
          tagDone();
        } else if (isSpace(c)) {
          state = AFTER_ATTR_NAME;
        } else if (c == '/') {
          state = IN_TAG;
        } else {
          attr = append(attr, attrLength++, c);
        }
        return;
      case AFTER_ATTR_NAME:
        if (c == '=') {
          state = BEFORE_VALUE;
        } else if (c == '>') {
          tagDone();
        } else if (!isSpace(c)) {
          state = IN_TAG;
          step(c);
        }
        return;
      case BEFORE_VALUE:
        if (isSpace(c)) {
          return;
        }
        emitValue = !closing && (attr == ALT || attr == TITLE);
        if (emitValue) {
          out.boundary();
        }
        if (c == '"' || c == '\'') {
          quote = c;
          state = VALUE_QUOTED;
        } else if (c == '>') {
          tagDone();
        } else {
          state = VALUE_UNQUOTED;
          step(c);
        }
        return;
      case VALUE_QUOTED:
        if (c == quote) {
          endValue(IN_TAG);
        } else if (emitValue) {
          if (c == '&') {
            startEntity(VALUE_QUOTED);
          } else {
            out.accept(c);
          }
        }
        return;
      case VALUE_UNQUOTED:
        if (isSpace(c)) {
          endValue(IN_TAG);
        } else if (c == '>') {
          endValue(IN_TAG);
          tagDone();
        } else if (emitValue) {
          if (c == '&') {
            startEntity(VALUE_UNQUOTED);
          } else {
            out.accept(c);
          }
        }
        return;
      case BANG:
        state = c == '-' ? BANG_DASH : c == '>' ? TEXT : SKIP_TO_GT;
        return;
      case BANG_DASH:
        if (c == '-') {
          dashes = 0;
          state = COMMENT;
        } else {
          state = c == '>' ? TEXT : SKIP_TO_GT;
        }
        return;
      case COMMENT:
        if (c == '>' && dashes >= 2) {
          state = TEXT;
          out.boundary();
        } else {
          dashes = c == '-' ? dashes + 1 : 0;
        }
        return;
      case SKIP_TO_GT:
        if (c == '>') {
          state = TEXT;
          out.boundary();
        }
        return;
      case RAW:
        raw(c);
        return;
      default: // ENTITY
        entity(c);
    }
  }

  /**
   * A tag's name in one loop (as {@link #step} would read it letter by letter), then the
   * character after it through {@link #step}; returns where it stopped.
   */
  private int tagName(char[] buf, int i, int end) {
    if (state == TAG_OPEN) {
      closing = false;
      name = 0;
      nameLength = 0;
      state = TAG_NAME;
    }
    long n = name;
    int length = nameLength;
    char c = 0;
    while (i < end) {
      c = buf[i++];
      if (isAsciiLetter(c) || (c >= '0' && c <= '9' && length > 0)) {
        n = append(n, length++, c);
      } else {
        name = n;
        nameLength = length;
        step(c);
        return i;
      }
    }
    name = n;
    nameLength = length;
    return i;
  }

  /** An attribute's name in one loop, then the character after it through {@link #step}. */
  private int attrName(char[] buf, int i, int end) {
    long a = attr;
    int length = attrLength;
    while (i < end) {
      char c = buf[i++];
      if (c == '=' || c == '>' || c == '/' || isSpace(c)) {
        attr = a;
        attrLength = length;
        step(c);
        return i;
      }
      a = append(a, length++, c);
    }
    attr = a;
    attrLength = length;
    return i;
  }

  private void startName(char c) {
    name = 0;
    nameLength = 0;
    name = append(name, nameLength++, c);
    state = TAG_NAME;
  }

  private void tagDone() {
    if (!closing && (name == SCRIPT || name == STYLE)) {
      rawName = name == SCRIPT ? SCRIPT_CHARS : STYLE_CHARS;
      rawMatch = 0;
      state = RAW;
      out.boundary();
      return;
    }
    state = TEXT;
    if (name == TOO_LONG || !isInline(name)) {
      out.boundary();
    }
  }

  private void endValue(int next) {
    if (emitValue) {
      out.boundary();
      emitValue = false;
    }
    state = next;
  }

  /** Inside script or style: look for its end tag, case-insensitively. */
  private void raw(char c) {
    if (rawMatch == 0) {
      rawMatch = c == '<' ? 1 : 0;
    } else if (rawMatch == 1) {
      rawMatch = c == '/' ? 2 : c == '<' ? 1 : 0;
    } else if (Character.toLowerCase(c) == rawName[rawMatch - 2]) {
      rawMatch++;
      if (rawMatch - 2 == rawName.length) {
        rawMatch = 0;
        state = SKIP_TO_GT;
      }
    } else {
      rawMatch = c == '<' ? 1 : 0;
    }
  }

  private void startEntity(int returnTo) {
    entityReturn = returnTo;
    entityLength = 0;
    state = ENTITY;
  }

  private void entity(char c) {
    if (c == ';' && entityLength > 0) {
      state = entityReturn;
      decodeEntity();
      return;
    }
    if (entityLength < MAX_ENTITY && (isAsciiLetter(c) || (c >= '0' && c <= '9') || (c == '#' && entityLength == 0))) {
      entity[entityLength++] = c;
      return;
    }
    literalEntity();
    step(c);
  }

  /** Not an entity after all: the '&' and what followed are text. */
  private void literalEntity() {
    state = entityReturn;
    out.boundary();
    for (int i = 0; i < entityLength; i++) {
      out.accept(entity[i]);
    }
  }

  private void decodeEntity() {
    if (entity[0] == '#') {
      int value = 0;
      boolean hex = entityLength > 1 && (entity[1] == 'x' || entity[1] == 'X');
      for (int i = hex ? 2 : 1; i < entityLength; i++) {
        int d = Character.digit(entity[i], hex ? 16 : 10);
        if (d < 0 || value > 0x10FFFF) {
          out.boundary();
          return;
        }
        value = value * (hex ? 16 : 10) + d;
      }
      if (value > 0 && value < 0x10000) {
        out.accept((char) value);
      } else {
        out.boundary();
      }
      return;
    }
    char decoded = named();
    if (decoded != 0) {
      out.accept(decoded);
    } else {
      out.boundary();
    }
  }

  /** A named entity's character: the common ones, and any accented letter as its base letter; 0 if unknown. */
  private char named() {
    long p = 0;
    for (int i = 0; i < entityLength; i++) {
      p = append(p, i, entity[i]);
    }
    int k = Arrays.binarySearch(NAMED_KEYS, p);
    if (k >= 0) {
      return NAMED_VALUES[k];
    }
    for (char[] suffix : ACCENT_SUFFIXES) {
      if (entityLength == suffix.length + 1 && Arrays.equals(entity, 1, entityLength, suffix, 0, suffix.length)) {
        return entity[0];
      }
    }
    return 0;
  }

  private static boolean isInline(long name) {
    for (int i = inlineSlot(name); ; i = (i + 1) & (INLINE_TABLE.length - 1)) {
      long k = INLINE_TABLE[i];
      if (k == 0) { // checked first: an empty name (</>) is 0 too, and is no inline tag
        return false;
      }
      if (k == name) {
        return true;
      }
    }
  }

  private static int inlineSlot(long name) {
    return (int) ((name * 0x9e3779b97f4a7c15L) >>> 58);
  }

  private static long[] table(long[] names) {
    long[] t = new long[64];
    for (long n : names) {
      int i = inlineSlot(n);
      while (t[i] != 0) {
        i = (i + 1) & 63;
      }
      t[i] = n;
    }
    return t;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
  }

  /** Appends {@code c} (lower-cased) to a packed name of {@code length} letters. */
  private static long append(long packed, int length, char c) {
    if (packed == TOO_LONG || length >= MAX_NAME) {
      return TOO_LONG;
    }
    char l = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    int code = l >= 'a' && l <= 'z' ? l - 'a' + 1 : l >= '0' && l <= '9' ? l - '0' + 27 : 0;
    return packed * 37 + code;
  }

  private static long pack(String s) {
    long p = 0;
    for (int i = 0; i < s.length(); i++) {
      p = append(p, i, s.charAt(i));
    }
    return p;
  }

  private static char[][] chars(String... words) {
    char[][] out = new char[words.length][];
    for (int i = 0; i < words.length; i++) {
      out[i] = words[i].toCharArray();
    }
    return out;
  }

  private static long[] sorted(String... names) {
    long[] out = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = pack(names[i]);
    }
    Arrays.sort(out);
    return out;
  }
}
