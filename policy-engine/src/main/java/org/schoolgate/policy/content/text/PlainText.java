package org.schoolgate.policy.content.text;

/** Plain text: every character goes to the folder. */
final class PlainText implements TextExtractor {
  private final WordFolder out;

  PlainText(WordFolder out) {
    this.out = out;
  }

  @Override
  public void feed(char[] buf, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      out.accept(buf[i]);
    }
  }

  @Override
  public void feed(CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      out.accept(text.charAt(i));
    }
  }

  @Override
  public void end() {
    out.end();
  }

  @Override
  public void reset() {
    out.reset();
  }
}
