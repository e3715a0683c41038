package org.schoolgate.policy.content.text;

import java.util.List;

/**
 * JSON text, streaming: the string values (never the keys, numbers or literals), with escapes
 * decoded ({@code \n \" \u00e9}). With a key filter, only the strings whose nearest key is one
 * of the keys ({@code {"delta":{"content":"Hel"}}} gives {@code Hel} for the key
 * {@code content}; strings in an array count for the array's key). Values are separated by a
 * break, or, in joined mode (answers streamed as many small JSON events), run on, so a word
 * split across events stays one word.
 *
 * <p>State: the nesting as two 64-bit stacks (deeper levels are read as filtered out), the
 * current key up to 24 characters and the escape in progress; nothing grows with the body.
 */
public final class JsonText implements TextExtractor {
  /**
   * The keys chat tools put prompt and answer text under (OpenAI-style {@code content}, Gemini
   * {@code text}/{@code parts}, others {@code prompt}, {@code query}, {@code message},
   * {@code answer}, {@code response}, {@code completion}, {@code output}).
   */
  public static final List<String> AI_TEXT_KEYS = List.of("content", "text", "parts", "prompt", "query", "message",
      "answer", "response", "completion", "output", "input");
  private static final int MAX_KEY = 24;

  private final WordFolder out;
  private final char[][] keys;
  private final boolean join;
  private int depth;
  private long objects;
  private long allowed;
  private boolean expectKey;
  private boolean inString;
  private boolean isKey;
  private boolean emitting;
  private boolean keyAllowed;
  private int escape;
  private int unicode;
  private final char[] key = new char[MAX_KEY];
  private int keyLength;

  JsonText(WordFolder out, String[] keys, boolean join) {
    this.out = out;
    this.join = join;
    if (keys == null || keys.length == 0) {
      this.keys = null;
    } else {
      this.keys = new char[keys.length][];
      for (int i = 0; i < keys.length; i++) {
        this.keys[i] = keys[i].toCharArray();
      }
    }
  }

  @Override
  public void feed(char[] buf, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      step(buf[i]);
    }
  }

  @Override
  public void feed(CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      step(text.charAt(i));
    }
  }

  @Override
  public void end() {
    out.end();
    resetStructure();
  }

  @Override
  public void reset() {
    resetStructure();
    out.reset();
  }

  /** Forgets the nesting (a new JSON document follows) but not the word in progress. */
  void resetStructure() {
    depth = 0;
    objects = 0;
    allowed = 0;
    expectKey = false;
    inString = false;
    escape = 0;
    keyAllowed = false;
  }

  /** True while inside an object or array (a document continues). */
  boolean open() {
    return depth > 0 || inString;
  }

  void step(char c) {
    if (inString) {
      string(c);
      return;
    }
    switch (c) {
      case '{':
        push(true, false);
        expectKey = true;
        return;
      case '[':
        push(false, valueAllowed());
        expectKey = false;
        return;
      case '}':
      case ']':
        if (depth > 0) {
          depth--;
        }
        expectKey = false;
        return;
      case ',':
        expectKey = inObject();
        return;
      case ':':
        expectKey = false;
        return;
      case '"':
        inString = true;
        isKey = expectKey && inObject();
        if (isKey) {
          keyLength = 0;
        } else {
          emitting = valueAllowed();
          if (emitting && !join) {
            out.boundary();
          }
        }
        return;
      default:
    }
  }

  private void string(char c) {
    if (escape == 0) {
      if (c == '"') {
        inString = false;
        if (isKey) {
          keyAllowed = keyMatches();
          expectKey = false;
        } else if (emitting && !join) {
          out.boundary();
        }
      } else if (c == '\\') {
        escape = 1;
      } else {
        content(c);
      }
      return;
    }
    if (escape == 1) {
      escape = 0;
      switch (c) {
        case 'u':
          escape = 2;
          unicode = 0;
          return;
        case 'n': case 't': case 'r': case 'b': case 'f':
          content(' ');
          return;
        default:
          content(c);
          return;
      }
    }
    int d = Character.digit(c, 16);
    unicode = unicode * 16 + Math.max(d, 0);
    if (++escape == 6) {
      escape = 0;
      content((char) unicode);
    }
  }

  private void content(char c) {
    if (isKey) {
      if (keyLength < MAX_KEY) {
        key[keyLength] = c;
      }
      keyLength++;
    } else if (emitting) {
      out.accept(c);
    }
  }

  private boolean keyMatches() {
    if (keys == null || keyLength > MAX_KEY) {
      return keys == null;
    }
    for (char[] k : keys) {
      if (k.length == keyLength && java.util.Arrays.equals(k, 0, k.length, key, 0, keyLength)) {
        return true;
      }
    }
    return false;
  }

  private void push(boolean object, boolean allow) {
    if (depth < 63) {
      long bit = 1L << depth;
      objects = object ? objects | bit : objects & ~bit;
      allowed = allow ? allowed | bit : allowed & ~bit;
    }
    depth++;
  }

  private boolean inObject() {
    return depth > 0 && depth <= 63 && (objects & (1L << (depth - 1))) != 0;
  }

  private boolean valueAllowed() {
    if (keys == null) {
      return true;
    }
    if (depth == 0 || depth > 63) {
      return false;
    }
    return inObject() ? keyAllowed : (allowed & (1L << (depth - 1))) != 0;
  }
}
