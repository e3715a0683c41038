package org.schoolgate.policy.content.text;

/** Receives the words a {@link WordFolder} finds, one call per word. */
public interface WordSink {
  /**
   * One folded word.
   *
   * @param key the word's key ({@link WordFolder#key(CharSequence)} of its folded letters)
   * @param length its folded length (runs of one letter count once)
   * @param first its first folded letter (all of it, when {@code length} is 1)
   */
  void word(long key, int length, char first);
}
