package org.schoolgate.policy.content.text;

/**
 * Pulls the readable text out of one response body as it streams, chunk by chunk, and passes it
 * to a {@link WordFolder}. State is bounded (a few small fixed buffers), so a tag, an entity or
 * an escape split across chunks reads the same as in one chunk.
 */
public interface TextExtractor {
  /** Reads {@code len} characters of {@code buf} from {@code off}. */
  void feed(char[] buf, int off, int len);

  /** Reads {@code text}. */
  void feed(CharSequence text);

  /** The body ended: flush what is pending. */
  void end();

  /** Forgets everything, for the next body. */
  void reset();

  /** Plain text: every character goes to the folder. */
  static TextExtractor plain(WordFolder out) {
    return new PlainText(out);
  }

  /** HTML (see {@link HtmlText}). */
  static TextExtractor html(WordFolder out) {
    return new HtmlText(out);
  }

  /** JSON: every string value (see {@link JsonText}). */
  static TextExtractor json(WordFolder out) {
    return new JsonText(out, null, false);
  }

  /** JSON: the string values under {@code keys} only (see {@link JsonText}). */
  static TextExtractor json(WordFolder out, String... keys) {
    return new JsonText(out, keys, false);
  }

  /**
   * Server-sent events (see {@link SseText}): the {@code data:} lines; JSON payloads give the
   * string values under {@code keys} ({@link JsonText#AI_TEXT_KEYS} suits chat tools), joined
   * across events without a break, as chat tools stream an answer a few letters at a time.
   */
  static TextExtractor sse(WordFolder out, String... keys) {
    return new SseText(out, keys);
  }
}
