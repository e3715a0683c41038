package org.schoolgate.policy.content.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits streamed text into folded words and hands each to a {@link WordSink} as a 64-bit key,
 * without keeping the word: per character one table lookup ({@link CharFold}) and one multiply
 * per track. Two tracks run side by side: the plain fold, and the Latin fold (leet digits and
 * {@code @ $} read as letters, Cyrillic look-alikes as Latin); at the word's end the Latin
 * track is taken when the word has a Latin letter and no letter of another script, so
 * {@code k1ll} is {@code kill} but an Urdu word or {@code 2024} keeps its digits. Runs of one
 * letter count once on both tracks ({@code kiiill} → {@code kil}: phrase entries are folded the
 * same way, so they still meet). Words longer than {@link #MAX_LENGTH} folded letters never
 * match and are not reported.
 *
 * <p>The state is a few fields, whatever the text's size; {@link #end()} flushes the last word.
 * {@link #words(CharSequence)} gives the folded words as strings, for compiling phrase lists and
 * for tests: its keys are exactly those the streaming path reports.
 */
public final class WordFolder {
  /** Longest folded word reported. */
  public static final int MAX_LENGTH = 64;
  private static final long SEED = 0xcbf29ce484222325L;
  /** Mixes each full block of eight key bytes into the hash (odd: a bijection per block). */
  private static final long MIX = 0x9e3779b97f4a7c15L;

  private final WordSink sink;
  private final StringBuilder recordRaw;
  private final StringBuilder recordLatin;
  private long raw = SEED;
  private long latin = SEED;
  /** The key bytes after the last full block, little-endian, and how many bits of it are used. */
  private long rawAcc;
  private long latinAcc;
  private int rawShift;
  private int latinShift;
  private int rawLength;
  private int latinLength;
  private char rawLast;
  private char latinLast;
  private char rawFirst;
  private char latinFirst;
  private boolean hasLatin;
  private boolean hasOther;
  private boolean inWord;
  /** False while both tracks hold the same letters (only the plain one is kept up to date). */
  private boolean split;

  public WordFolder(WordSink sink) {
    this(sink, false);
  }

  private WordFolder(WordSink sink, boolean record) {
    this.sink = sink;
    this.recordRaw = record ? new StringBuilder() : null;
    this.recordLatin = record ? new StringBuilder() : null;
  }

  /** Folds one character of text. */
  public void accept(char c) {
    int e = CharFold.entry(c);
    int kind = CharFold.kind(e);
    if (kind == CharFold.LATIN) {
      hasLatin = true;
      if (split) {
        addRaw(CharFold.raw(e));
        addLatin(CharFold.raw(e));
      } else {
        addRaw(CharFold.raw(e)); // the hot path: the tracks agree until a digit, symbol or look-alike
      }
      return;
    }
    if (kind == CharFold.BREAK) {
      if (inWord) {
        endWord();
      }
      return;
    }
    acceptOther(c, e, kind);
  }

  /** {@link #acceptText}'s ASCII classes: a folded letter is its own value (&gt; 0). */
  private static final byte A_BREAK = -1;
  private static final byte A_STOP = -2;
  private static final byte A_OTHER = -3;
  private static final byte[] ASCII = asciiClasses();
  /** Eight bytes of a {@code byte[]} at once, little-endian (for {@link #asciiRun(byte[], int, int)}). */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private static byte[] asciiClasses() {
    byte[] t = new byte[128];
    for (int c = 0; c < 128; c++) {
      int e = CharFold.entry(c);
      int kind = CharFold.kind(e);
      t[c] = c == '<' || c == '&' ? A_STOP
          : kind == CharFold.LATIN ? (byte) CharFold.raw(e)
          : kind == CharFold.BREAK ? A_BREAK : A_OTHER;
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (letter != t[c] > 0 || (letter && t[c] != (c | 0x20))) { // what the word-at-a-time test relies on
        throw new IllegalStateException("ASCII folding changed at " + c + ": update asciiRun(byte[])");
      }
    }
    return t;
  }

  /**
   * Folds the characters of {@code buf} from {@code from} up to the first {@code '<'} or
   * {@code '&'} (not folded) or {@code end}, and returns where it stopped: the same words as
   * {@link #accept} per character, faster for runs of text (HTML between tags). ASCII letters and
   * breaks take a path of their own (a 128-entry table, the word's hash in locals) while the two
   * tracks agree; anything else goes through {@link #accept}.
   */
  public int acceptText(char[] buf, int from, int end) {
    int i = from;
    while (i < end) {
      char c = buf[i];
      if (c == '<' || c == '&') {
        return i;
      }
      if (c >= 128 || split || recordRaw != null || ASCII[c] == A_OTHER) {
        accept(c);
        i++;
        continue;
      }
      i = asciiRun(buf, i, end);
    }
    return end;
  }

  /**
   * {@link #acceptText} over UTF-8 bytes: folds ASCII bytes from {@code from} up to the first
   * {@code '<'}, {@code '&'}, non-ASCII byte (not folded: the caller decodes it) or {@code end},
   * and returns where it stopped. An ASCII byte is the character of the same value, so the words
   * and keys are exactly {@link #acceptText}'s.
   */
  public int acceptAscii(byte[] buf, int from, int end) {
    int i = from;
    while (i < end) {
      byte b = buf[i];
      if (b < 0 || b == '<' || b == '&') {
        return i;
      }
      if (split || recordRaw != null || ASCII[b] == A_OTHER) {
        accept((char) b);
        i++;
        continue;
      }
      i = asciiRun(buf, i, end);
    }
    return end;
  }

  /** {@link #asciiRun(char[], int, int)} over bytes: stops at a non-ASCII byte too. */
  private int asciiRun(byte[] buf, int from, int end) {
    long h = raw;
    long acc = rawAcc;
    int shift = rawShift;
    int length = rawLength;
    char last = rawLast;
    boolean word = inWord;
    int i = from;
    for (; i < end; i++) {
      if (!word && i + 8 <= end) {
        // Word at a time: eight bytes from a word's start; the letters' count is where the first
        // non-letter is (a trailing-zero count, not a branch per letter). A word of one to seven
        // letters ended by a break and with no doubled letter is keyed from the masked bytes at
        // once; anything else goes on byte by byte below.
        long w = (long) LONGS.get(buf, i);
        long y = (w | 0x2020202020202020L) & 0x7f7f7f7f7f7f7f7fL; // ASCII letters lower-cased
        long letters = (y + 0x1f1f1f1f1f1f1f1fL) & ~(y + 0x0505050505050505L) & ~w & HIGHS; // 'a' <= y <= 'z'
        int n = Long.numberOfTrailingZeros(~letters & HIGHS) >>> 3;
        if (n > 0 && n < 8) {
          byte after = buf[i + n];
          if (after >= 0 && ASCII[after] == A_BREAK) {
            long mask = (1L << (n << 3)) - 1;
            long folded = y & mask;
            long d = folded ^ (folded << 8); // byte k is 0 where letter k repeats letter k - 1
            if (((d - ONES) & ~d & HIGHS & mask & ~0xffL) == 0) {
              sink.word(close(SEED, folded, n), n, (char) (folded & 0xff));
              i += n; // and the loop steps over the break
              continue;
            }
          }
        }
      }
      byte c = buf[i];
      if (c < 0) {
        break;
      }
      byte k = ASCII[c];
      if (k > 0) {
        char f = (char) k;
        if (f != last) {
          if (length == 0) {
            rawFirst = f;
          }
          last = f;
          acc |= (long) f << shift;
          shift += 8;
          if (shift == 64) {
            h = (h ^ acc) * MIX;
            acc = 0;
            shift = 0;
          }
          length++;
        }
        word = true;
        hasLatin = true;
      } else if (k == A_BREAK) {
        if (word) {
          raw = h;
          rawAcc = acc;
          rawShift = shift;
          rawLength = length;
          rawLast = last;
          endWord();
          h = SEED;
          acc = 0;
          shift = 0;
          length = 0;
          last = 0;
          word = false;
        }
      } else {
        break;
      }
    }
    raw = h;
    rawAcc = acc;
    rawShift = shift;
    rawLength = length;
    rawLast = last;
    inWord = word;
    return i;
  }

  /** ASCII letters and breaks from {@code i} while the tracks agree; returns where it stopped. */
  private int asciiRun(char[] buf, int from, int end) {
    long h = raw;
    long acc = rawAcc;
    int shift = rawShift;
    int length = rawLength;
    char last = rawLast;
    boolean word = inWord;
    int i = from;
    for (; i < end; i++) {
      char c = buf[i];
      if (c >= 128) {
        break;
      }
      byte k = ASCII[c];
      if (k > 0) {
        char f = (char) k;
        if (f != last) { // a run of one letter counts once (letters only: never a digit here)
          if (length == 0) {
            rawFirst = f;
          }
          last = f;
          acc |= (long) f << shift;
          shift += 8;
          if (shift == 64) {
            h = (h ^ acc) * MIX;
            acc = 0;
            shift = 0;
          }
          length++;
        }
        word = true;
        hasLatin = true;
      } else if (k == A_BREAK) {
        if (word) {
          raw = h;
          rawAcc = acc;
          rawShift = shift;
          rawLength = length;
          rawLast = last;
          endWord();
          h = SEED;
          acc = 0;
          shift = 0;
          length = 0;
          last = 0;
          word = false;
        }
      } else {
        break; // '<', '&' or a character for accept()
      }
    }
    raw = h;
    rawAcc = acc;
    rawShift = shift;
    rawLength = length;
    rawLast = last;
    inWord = word;
    return i;
  }

  private void acceptOther(char c, int e, int kind) {
    switch (kind) {
      case CharFold.DROP:
        return;
      case CharFold.DIGIT:
      case CharFold.CYRILLIC_LOOKALIKE:
        splitTracks();
        addRaw(CharFold.raw(e));
        addLatin(CharFold.latin(e));
        return;
      case CharFold.SYMBOL:
        splitTracks();
        inWord = true;
        addLatin(CharFold.latin(e));
        return;
      case CharFold.OTHER:
        hasOther = true;
        addRaw(CharFold.raw(e));
        if (split) {
          addLatin(CharFold.raw(e));
        }
        return;
      default:
        String x = CharFold.expansion(c);
        for (int i = 0; i < x.length(); i++) {
          accept(x.charAt(i));
        }
    }
  }

  /** From here on the Latin track differs from the plain one: it starts as a copy. */
  private void splitTracks() {
    if (!split) {
      split = true;
      latin = raw;
      latinAcc = rawAcc;
      latinShift = rawShift;
      latinLength = rawLength;
      latinLast = rawLast;
      latinFirst = rawFirst;
      if (recordLatin != null) {
        recordLatin.setLength(0);
        recordLatin.append(recordRaw);
      }
    }
  }

  /** Ends the current word, as a space would. */
  public void boundary() {
    if (inWord) {
      endWord();
    }
  }

  /** Flushes the last word at the end of the text. */
  public void end() {
    boundary();
  }

  /** Forgets the current word (for reuse with another text). */
  public void reset() {
    clear();
  }

  private void addRaw(char f) {
    inWord = true;
    if (f == rawLast && (f < '0' || f > '9')) {
      return;
    }
    if (rawLength == 0) {
      rawFirst = f;
    }
    rawLast = f;
    if (f < 0x80) {
      rawByte(f);
    } else {
      for (int k = utf8Length(f) - 1; k >= 0; k--) {
        rawByte(utf8Byte(f, k));
      }
    }
    rawLength++;
    if (recordRaw != null) {
      recordRaw.append(f);
    }
  }

  private void addLatin(char f) {
    if (f == latinLast && (f < '0' || f > '9')) {
      return;
    }
    if (latinLength == 0) {
      latinFirst = f;
    }
    latinLast = f;
    if (f < 0x80) {
      latinByte(f);
    } else {
      for (int k = utf8Length(f) - 1; k >= 0; k--) {
        latinByte(utf8Byte(f, k));
      }
    }
    latinLength++;
    if (recordLatin != null) {
      recordLatin.append(f);
    }
  }

  private void rawByte(int b) {
    rawAcc |= (long) b << rawShift;
    rawShift += 8;
    if (rawShift == 64) {
      raw = (raw ^ rawAcc) * MIX;
      rawAcc = 0;
      rawShift = 0;
    }
  }

  private void latinByte(int b) {
    latinAcc |= (long) b << latinShift;
    latinShift += 8;
    if (latinShift == 64) {
      latin = (latin ^ latinAcc) * MIX;
      latinAcc = 0;
      latinShift = 0;
    }
  }

  /** How many bytes a folded character takes in a key: its UTF-8 length (a lone surrogate: three). */
  static int utf8Length(char c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }

  /** Byte {@code k} from the end (0 = last) of {@code c}'s UTF-8 form, as {@link #utf8Length} counts it. */
  static int utf8Byte(char c, int k) {
    int n = utf8Length(c);
    if (n == 1) {
      return c;
    }
    if (k == n - 1) {
      return (n == 2 ? 0xC0 : 0xE0) | (c >>> (6 * k));
    }
    return 0x80 | ((c >>> (6 * k)) & 0x3F);
  }

  private void endWord() {
    boolean useLatin = split && hasLatin && !hasOther;
    int length = useLatin ? latinLength : rawLength;
    if (length > 0 && length <= MAX_LENGTH) {
      long key = useLatin ? close(latin, latinAcc, length) : close(raw, rawAcc, length);
      sink.word(key, length, useLatin ? latinFirst : rawFirst);
    }
    if (recordRaw != null && length > 0 && length <= MAX_LENGTH) {
      ((Recorder) sink).words.add((useLatin ? recordLatin : recordRaw).toString());
    }
    clear();
  }

  private void clear() {
    raw = SEED;
    latin = SEED;
    rawAcc = 0;
    latinAcc = 0;
    rawShift = 0;
    latinShift = 0;
    rawLength = 0;
    latinLength = 0;
    rawLast = 0;
    latinLast = 0;
    hasLatin = false;
    hasOther = false;
    inWord = false;
    split = false;
    if (recordRaw != null) {
      recordRaw.setLength(0);
      recordLatin.setLength(0);
    }
  }

  /**
   * The key of an already folded word (as {@link #words} returns them): the word's letters as
   * UTF-8 bytes, eight to a little-endian block, each full block mixed into the hash with one
   * multiply, then the rest and the letter count, finished by {@link #finish}. A byte-level
   * reader of ASCII text can build the same key from eight-byte loads.
   */
  public static long key(CharSequence folded) {
    return key(folded.toString().toCharArray(), folded.length()); // slow path: lists and tests
  }

  /** The key of {@code length} folded letters in {@code chars} (see {@link #key(CharSequence)}). */
  public static long key(char[] chars, int length) {
    long h = SEED;
    long acc = 0;
    int shift = 0;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      for (int k = utf8Length(c) - 1; k >= 0; k--) {
        acc |= (long) utf8Byte(c, k) << shift;
        shift += 8;
        if (shift == 64) {
          h = (h ^ acc) * MIX;
          acc = 0;
          shift = 0;
        }
      }
    }
    return close(h, acc, length);
  }

  /** A key from the hash of the full blocks, the bytes after them and the letter count. */
  private static long close(long h, long acc, int length) {
    return finish(((h ^ acc) * MIX) ^ length);
  }

  /** {@code word} with each run of one letter squashed to one (digits are kept). */
  public static String squash(CharSequence word) {
    StringBuilder out = new StringBuilder(word.length());
    char last = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c != last || (c >= '0' && c <= '9')) {
        out.append(c);
      }
      last = c;
    }
    return out.toString();
  }

  /** The folded words of {@code text}, in order (slow path: for compiling lists and tests). */
  public static List<String> words(CharSequence text) {
    List<String> out = new ArrayList<>();
    WordFolder f = recording(out);
    for (int i = 0; i < text.length(); i++) {
      f.accept(text.charAt(i));
    }
    f.end();
    return out;
  }

  /** A folder that adds each folded word to {@code into} (slow path: lists and tests). */
  static WordFolder recording(List<String> into) {
    return new WordFolder(new Recorder(into), true);
  }

  /** A word's key from its hash: fmix64 (MurmurHash3's finaliser), never 0 (0 marks an empty slot). */
  public static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  private static final class Recorder implements WordSink {
    final List<String> words;

    Recorder(List<String> words) {
      this.words = words;
    }

    @Override
    public void word(long key, int length, char first) {}
  }
}
