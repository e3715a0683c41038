package org.schoolgate.policy.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.schoolgate.policy.content.phrase.PhraseSet;
import org.schoolgate.policy.content.text.JsonText;
import org.schoolgate.policy.content.text.TextExtractor;
import org.schoolgate.policy.content.text.Utf8Text;
import org.schoolgate.policy.content.text.WordFolder;
import org.schoolgate.policy.content.text.WordSink;

/**
 * The analysis of one response (or request body) for one group, fed as it streams.
 *
 * <p>Input is characters, already decoded from the body's bytes (the proxy undoes gzip, deflate
 * or Brotli and applies the charset); chunks may split a tag, an entity, a JSON escape or a
 * word anywhere, and the result is the same as for one chunk. Each call reads the chunk once:
 * markup is stripped by the {@link TextFormat}'s extractor, words are folded and keyed by
 * {@link WordFolder}, and the policy's {@link PhraseSet} automaton moves one step per word.
 *
 * <p>State is bounded whatever the body's size: the extractor's and folder's fixed fields, one
 * byte per phrase (how often it matched), one score per theme and {@code top-phrases} phrase ids
 * per theme. Feeding allocates nothing; {@link #action()} allocates nothing; {@link #verdict()}
 * builds its result. Not thread-safe: one scan per response, on the thread that reads it
 * (reusable with {@link #reset()}).
 *
 * <pre>{@code
 * ContentScan scan = snapshot.contentRules(group).newScan(TextFormat.HTML);
 * scan.feed(chunk);               // as chunks arrive
 * if (scan.action() == ContentAction.BLOCK) { ... }
 * scan.end();
 * ContentVerdict v = scan.verdict();
 * }</pre>
 */
public final class ContentScan {
  /** A phrase adds its weight at most this many times per body. */
  public static final int MAX_REPEATS = 3;
  /** A run of at least this many one-letter words is also read as one word ({@code k i l l}). */
  static final int SPACED_MIN = 3;

  private final ContentRules rules;
  private final PhraseSet phrases;
  /** The root state has no outputs (no phrase is empty), so a word in no phrase counts nothing. */
  private final boolean quietRoot;
  private final TextExtractor extractor;
  private final Utf8Text utf8;
  private final byte[] counts;
  private final int[] scores = new int[ContentTheme.COUNT];
  private final int[] top;
  private final int topSize;
  private final long limit;
  private int state;
  private long chars;
  private long skipped;
  /** The letters of the word spelt out so far (keyed when it ends: single letters are rare). */
  private final char[] spaced = new char[WordFolder.MAX_LENGTH];
  private int spacedCount;
  private int spacedLength;
  private char spacedLast;

  ContentScan(ContentRules rules, TextFormat format) {
    this.rules = rules;
    this.phrases = rules.phrases();
    this.quietRoot = phrases.outputsFrom(0) == phrases.outputsTo(0);
    this.counts = new byte[phrases.phraseCount()];
    this.topSize = rules.topPhrases();
    this.top = new int[ContentTheme.COUNT * topSize];
    Arrays.fill(top, -1);
    this.limit = rules.scanLimitChars();
    WordSink sink = this::word;
    WordFolder folder = new WordFolder(sink);
    String[] ai = JsonText.AI_TEXT_KEYS.toArray(new String[0]);
    switch (format) {
      case HTML:
        extractor = TextExtractor.html(folder);
        break;
      case JSON:
        extractor = TextExtractor.json(folder);
        break;
      case AI_JSON:
        extractor = TextExtractor.json(folder, ai);
        break;
      case EVENT_STREAM:
        extractor = TextExtractor.sse(folder, ai);
        break;
      default:
        extractor = TextExtractor.plain(folder);
    }
    utf8 = new Utf8Text(extractor);
  }

  /** Reads {@code len} characters of {@code buf} from {@code off}. */
  public void feed(char[] buf, int off, int len) {
    int n = admit(len);
    if (n > 0) {
      extractor.feed(buf, off, n);
    }
  }

  /**
   * Reads {@code len} bytes of a UTF-8 body from {@code buf} at {@code off}: the same words and
   * matches as feeding the characters a UTF-8 decoder gives, without decoding the ASCII (see
   * {@link Utf8Text}); a character split between calls reads as one. Do not mix with
   * {@link #feed(char[], int, int)} within one body.
   */
  public void feedUtf8(byte[] buf, int off, int len) {
    long room = limit - chars;
    if (room <= 0) {
      skipped += len;
      return;
    }
    long n = utf8.feed(buf, off, len, room);
    chars += n;
    if (n == room) {
      skipped += Math.max(0, len - n); // past the limit: counted in bytes, roughly
    }
  }

  /** Reads {@code text}. */
  public void feed(CharSequence text) {
    int n = admit(text.length());
    if (n == text.length()) {
      extractor.feed(text);
    } else if (n > 0) {
      extractor.feed(text.subSequence(0, n));
    }
  }

  /** The body ended: flushes the last word. Feeding after this starts a new run of text. */
  public void end() {
    chars += utf8.end(limit - chars);
    extractor.end();
    closeSpaced();
  }

  /** Forgets everything, to scan another body for the same group. */
  public void reset() {
    extractor.reset();
    utf8.reset();
    Arrays.fill(counts, (byte) 0);
    Arrays.fill(scores, 0);
    Arrays.fill(top, -1);
    state = 0;
    chars = 0;
    skipped = 0;
    spacedCount = 0;
  }

  /** Characters read so far (not counting those past the scan limit). */
  public long chars() {
    return chars;
  }

  /** Characters that came after the policy's {@code scan-limit} and were not read. */
  public long skipped() {
    return skipped;
  }

  /** The current score of {@code theme}. */
  public int score(ContentTheme theme) {
    return scores[theme.ordinal()];
  }

  /**
   * The strongest action among the themes whose score has reached the group's threshold now
   * ({@link ContentAction#OFF} when none). Scores can fall again (context phrases later in the
   * page), so a proxy holding a page decides at the end of its look-ahead, and a stream decides
   * when a block is reached. Allocates nothing.
   */
  public ContentAction action() {
    ContentAction best = ContentAction.OFF;
    for (int t = 0; t < ContentTheme.COUNT; t++) {
      ContentAction a = rules.actionAt(t);
      if (a.compareTo(best) > 0 && scores[t] >= rules.thresholdAt(t)) {
        best = a;
      }
    }
    return best;
  }

  /** The verdict for what was read so far (allocates nothing when it is {@link ContentVerdict.Clean}). */
  public ContentVerdict verdict() {
    if (action() == ContentAction.OFF) {
      return ContentVerdict.Clean.INSTANCE;
    }
    List<ContentVerdict.ThemeHit> over = new ArrayList<>();
    for (int t = 0; t < ContentTheme.COUNT; t++) {
      ContentAction a = rules.actionAt(t);
      if (a != ContentAction.OFF && scores[t] >= rules.thresholdAt(t)) {
        over.add(new ContentVerdict.ThemeHit(ContentTheme.ALL[t], a, scores[t], rules.thresholdAt(t), topOf(t)));
      }
    }
    if (over.isEmpty()) {
      return ContentVerdict.Clean.INSTANCE;
    }
    over.sort(Comparator.comparing(ContentVerdict.ThemeHit::action).reversed()
        .thenComparing(Comparator.comparingDouble((ContentVerdict.ThemeHit h) -> (double) h.score() / h.threshold())
            .reversed()));
    ContentVerdict.ThemeHit deciding = over.get(0);
    switch (deciding.action()) {
      case BLOCK:
        return new ContentVerdict.Block(deciding, over);
      case ALERT:
        return new ContentVerdict.Alert(deciding, over);
      default:
        return new ContentVerdict.Log(deciding, over);
    }
  }

  /** The matched phrases of {@code theme} with their counts, highest contribution first (for tests and explain). */
  public List<ContentVerdict.PhraseHit> topOf(ContentTheme theme) {
    return topOf(theme.ordinal());
  }

  /** Bytes of state this scan holds: fixed when it is created, whatever it reads. */
  long stateBytes() {
    return counts.length + scores.length * 4L + top.length * 4L;
  }

  private int admit(int len) {
    long room = limit - chars;
    int n = room >= len ? len : (int) Math.max(0, room);
    chars += n;
    skipped += len - n;
    return n;
  }

  private void word(long key, int length, char first) {
    if (length == 1) {
      spaced(first);
    } else if (spacedCount > 0) {
      closeSpaced();
    }
    int id = phrases.wordId(key);
    if (id == 0 && quietRoot) { // most words are in no phrase: back to the root, nothing to count
      state = 0;
      return;
    }
    int s = phrases.next(state, id);
    state = s;
    for (int i = phrases.outputsFrom(s), end = phrases.outputsTo(s); i < end; i++) {
      hit(phrases.output(i));
    }
  }

  private void spaced(char c) {
    if (spacedCount == 0) {
      spacedLength = 0;
      spacedLast = 0;
    }
    spacedCount++;
    if (c != spacedLast || (c >= '0' && c <= '9')) {
      if (spacedLength < spaced.length) {
        spaced[spacedLength] = c;
      }
      spacedLength++;
      spacedLast = c;
    }
  }

  private void closeSpaced() {
    if (spacedCount >= SPACED_MIN && spacedLength <= WordFolder.MAX_LENGTH) {
      int s = phrases.single(phrases.wordId(WordFolder.key(spaced, spacedLength)));
      for (int i = phrases.outputsFrom(s), end = phrases.outputsTo(s); i < end; i++) {
        hit(phrases.output(i));
      }
    }
    spacedCount = 0;
  }

  private void hit(int p) {
    if (phrases.isException(p)) {
      for (int q : phrases.undo(p)) {
        int c = counts[q];
        if (c > 0) {
          counts[q] = (byte) (c - 1);
          if (c <= MAX_REPEATS) {
            scores[phrases.theme(q)] -= phrases.weight(q);
          }
        }
      }
      return;
    }
    int c = counts[p];
    if (c < MAX_REPEATS) {
      int t = phrases.theme(p);
      int w = phrases.weight(p);
      scores[t] += w;
      if (w > 0) {
        offerTop(t, p, (c + 1) * w);
      }
    }
    if (c < Byte.MAX_VALUE) {
      counts[p] = (byte) (c + 1);
    }
  }

  /** Keeps the {@code topSize} phrases of theme {@code t} that added most (a bounded slot array). */
  private void offerTop(int t, int p, int contribution) {
    int base = t * topSize;
    int weakest = -1;
    int weakestValue = Integer.MAX_VALUE;
    for (int i = base; i < base + topSize; i++) {
      int q = top[i];
      if (q == p) {
        return;
      }
      if (q < 0) {
        top[i] = p;
        return;
      }
      int v = Math.min(counts[q], MAX_REPEATS) * phrases.weight(q);
      if (v < weakestValue) {
        weakestValue = v;
        weakest = i;
      }
    }
    if (weakest >= 0 && contribution > weakestValue) {
      top[weakest] = p;
    }
  }

  private List<ContentVerdict.PhraseHit> topOf(int t) {
    List<ContentVerdict.PhraseHit> out = new ArrayList<>();
    for (int i = t * topSize; i < (t + 1) * topSize; i++) {
      int p = top[i];
      if (p >= 0 && counts[p] > 0) {
        out.add(new ContentVerdict.PhraseHit(phrases.text(p), phrases.weight(p), counts[p]));
      }
    }
    out.sort(Comparator.comparingInt((ContentVerdict.PhraseHit h) -> Math.min(h.count(), MAX_REPEATS) * h.weight())
        .reversed());
    return out;
  }
}
