package org.schoolgate.policy.content.text;

/**
 * Server-sent events ({@code text/event-stream}), streaming: the payload of {@code data:} lines;
 * other fields and comments are skipped. A payload that starts with {@code {} or {@code [} is
 * JSON, read by a {@link JsonText} in joined mode (its filtered string values run on across
 * events, as a chat answer streamed token by token must); any other payload is text between
 * breaks (so {@code [DONE]} never glues onto the answer).
 */
final class SseText implements TextExtractor {
  private static final int LINE_START = 0;
  private static final int FIELD = 1;
  private static final int VALUE_START = 2;
  private static final int JSON = 3;
  private static final int TEXT = 4;
  private static final int IGNORE = 5;
  private static final char[] DATA = {'d', 'a', 't', 'a'};

  private final WordFolder out;
  private final JsonText json;
  private int state = LINE_START;
  private int fieldLength;
  private boolean fieldIsData;
  private boolean afterCr;

  SseText(WordFolder out, String[] keys) {
    this.out = out;
    this.json = new JsonText(out, keys, true);
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
    json.end();
    state = LINE_START;
  }

  @Override
  public void reset() {
    json.reset();
    state = LINE_START;
    afterCr = false;
  }

  private void step(char c) {
    boolean cr = afterCr;
    afterCr = c == '\r';
    if (c == '\n' && cr) {
      return; // the LF of a CRLF
    }
    boolean eol = c == '\n' || c == '\r';
    switch (state) {
      case LINE_START:
        if (eol) { // a blank line ends the event
          if (!json.open()) {
            json.resetStructure();
          }
        } else if (c == ':') {
          state = IGNORE;
        } else {
          fieldLength = 0;
          fieldIsData = true;
          state = FIELD;
          field(c);
        }
        return;
      case FIELD:
        if (eol) {
          state = LINE_START;
        } else if (c == ':') {
          state = fieldIsData && fieldLength == DATA.length ? VALUE_START : IGNORE;
        } else {
          field(c);
        }
        return;
      case VALUE_START:
        if (eol) {
          state = LINE_START;
        } else if (c != ' ') {
          if (json.open() || c == '{' || c == '[') {
            state = JSON;
            json.step(c);
          } else {
            state = TEXT;
            out.boundary();
            out.accept(c);
          }
        }
        return;
      case JSON:
        if (eol) {
          state = LINE_START;
          json.step('\n');
        } else {
          json.step(c);
        }
        return;
      case TEXT:
        if (eol) {
          out.boundary();
          state = LINE_START;
        } else {
          out.accept(c);
        }
        return;
      default: // IGNORE
        if (eol) {
          state = LINE_START;
        }
    }
  }

  private void field(char c) {
    fieldIsData &= fieldLength < DATA.length && DATA[fieldLength] == c;
    fieldLength++;
  }
}
