package org.schoolgate.policy.content;

import java.util.Locale;
import java.util.Optional;

/** How a body is read for analysis: which text extractor a {@link ContentScan} uses. */
public enum TextFormat {
  /** {@code text/html}, {@code application/xhtml+xml}: text between tags, alt/title, entities. */
  HTML,
  /** {@code text/plain}: every character. */
  PLAIN,
  /** {@code application/json} and {@code +json}: every string value. */
  JSON,
  /**
   * A chat tool's JSON (a prompt in a request body, an answer): the string values under the
   * keys chat tools use for text ({@code content}, {@code text}, {@code parts}, {@code prompt}, ...).
   */
  AI_JSON,
  /** {@code text/event-stream}: {@code data:} payloads; JSON ones as {@link #AI_JSON}, joined across events. */
  EVENT_STREAM;

  private static final Optional<TextFormat> HTML_OPT = Optional.of(HTML);
  private static final Optional<TextFormat> PLAIN_OPT = Optional.of(PLAIN);
  private static final Optional<TextFormat> JSON_OPT = Optional.of(JSON);
  private static final Optional<TextFormat> SSE_OPT = Optional.of(EVENT_STREAM);

  /**
   * The format of a response with media type {@code contentType} (a {@code Content-Type} header;
   * parameters such as {@code charset} are ignored), or empty when it is not analysed (images,
   * video, scripts, binaries). Allocates nothing for the analysed types' usual spellings.
   */
  public static Optional<TextFormat> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    int end = contentType.indexOf(';');
    end = end < 0 ? contentType.length() : end;
    int from = 0;
    while (from < end && Character.isWhitespace(contentType.charAt(from))) {
      from++;
    }
    while (end > from && Character.isWhitespace(contentType.charAt(end - 1))) {
      end--;
    }
    if (is(contentType, from, end, "text/html") || is(contentType, from, end, "application/xhtml+xml")) {
      return HTML_OPT;
    }
    if (is(contentType, from, end, "text/plain")) {
      return PLAIN_OPT;
    }
    if (is(contentType, from, end, "text/event-stream")) {
      return SSE_OPT;
    }
    if (is(contentType, from, end, "application/json")) {
      return JSON_OPT;
    }
    String lower = contentType.substring(from, end).toLowerCase(Locale.ROOT);
    if (lower.equals("application/json") || (lower.startsWith("application/") && lower.endsWith("+json"))) {
      return JSON_OPT;
    }
    return Optional.empty();
  }

  /** {@code type[from, end)} is {@code name}, ignoring case. */
  private static boolean is(String type, int from, int end, String name) {
    return end - from == name.length() && type.regionMatches(true, from, name, 0, name.length());
  }
}
