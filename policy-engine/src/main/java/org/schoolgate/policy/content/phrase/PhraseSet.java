package org.schoolgate.policy.content.phrase;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.content.text.WordFolder;

/**
 * Every theme's phrases compiled into one word-level Aho–Corasick automaton.
 *
 * <h2>Design</h2>
 * <p>Why words, not characters. Phrases match whole words, so the page is cut into folded words
 * first ({@link WordFolder}, which reports each word as a 64-bit key without building it) and
 * the automaton runs over word ids. The alphabet is the few thousand words that occur in any
 * phrase; every other word of the page is id 0 and sends the automaton to its root at once. A
 * character-level automaton over the same phrases would need tens of thousands of states times
 * the letters of five scripts in a dense table (tens of megabytes per policy) or sparse
 * per-state maps (a pointer chase per character); here the per-character cost is one table
 * lookup and one multiply in the folder, and the per-word cost two bit tests in a 16 KiB filter
 * (two bits per known word key, typing slips included: about 5% of unknown words pass it), and
 * for words that pass, one probe of an open-addressed {@code long[]} (half full at most, so an
 * unknown word usually stops at the first empty slot). The filter matters: the table of all
 * keys is a few hundred KiB, and a cache miss per word of the page cost more than everything
 * else together.
 * {@code org.ahocorasick:ahocorasick} was not used: it allocates per state and per match.
 *
 * <p>Layout. Words: {@code wordKeys[]}/{@code wordIds[]}, one open-addressed table. Transitions:
 * from the root a dense {@code rootNext[wordId]}; from other states one open-addressed table
 * keyed by {@code state << 32 | wordId}, with 64 bits per state in front of it ({@code childBits}:
 * bit {@code wordId & 63} of each of its edges), so a word with no edge from the state usually
 * costs one bit test instead of a probe on its way down the failure chain (a school page has
 * many such misses: {@code the}, {@code to}, {@code of} start phrases but are seldom followed by
 * the phrase's next word). Failure links {@code fail[state]}; outputs flattened along the
 * dictionary-suffix chain at build time and stored as ranges
 * ({@code outStart[state] .. outStart[state + 1]}) of phrase ids, so reporting a match walks an
 * {@code int[]} and allocates nothing. Matching is linear in the number of words: each step
 * follows at most as many failure links as it earlier went deeper.
 *
 * <p>Folding at build time. Each phrase is folded by the same {@link WordFolder} as the page,
 * so its word keys are exactly the keys the page produces. A phrase of two or three words is
 * also entered as one run-together word ({@code killmyself}). Typing slips: every Latin word of
 * {@value #SLIP_LENGTH} or more letters is also entered with one letter missing or two
 * neighbours swapped (after its first letter), mapped to the same word id, so {@code sucide}
 * and {@code suicdie} are {@code suicide}; an added or changed letter is not caught (that would
 * cost a probe per letter of every long word of every page). An exact word always wins over
 * another word's slip.
 *
 * <p>Exceptions ({@code !suicide squad}) are patterns of their own; at build time each learns
 * which phrases of its theme lie inside it, and a scan that meets the exception takes those
 * matches back ({@link #undo}).
 *
 * <p>Immutable and thread-safe once built; built once per policy compile.
 */
public final class PhraseSet {
  /** Latin words at least this long also match with one letter missing or two swapped. */
  public static final int SLIP_LENGTH = 7;

  /** Bits of the word filter: 2^17 (16 KiB, so it stays in the L1/L2 cache). */
  private static final int FILTER_BITS = 1 << 17;
  private final long[] filter = new long[FILTER_BITS / 64];
  private final long[] wordKeys;
  private final int[] wordIds;
  private final int wordMask;
  private final int[] rootNext;
  private final long[] gotoKeys;
  private final int[] gotoNext;
  private final int gotoMask;
  /** Per state, bit {@code wordId & 63} of each word with an edge from it: most misses skip the probe. */
  private final long[] childBits;
  private final int[] fail;
  private final int[] outStart;
  private final int[] outPhrase;
  private final byte[] theme;
  private final int[] weight;
  private final String[] text;
  private final String[] source;
  private final int[][] undo;
  private final int words;

  private PhraseSet(Builder b, Trie t) {
    this.words = b.wordIds.size();
    int wordCap = Integer.highestOneBit(Math.max(16, b.keys.size() * 2 + 1)) * 2;
    this.wordKeys = new long[wordCap];
    this.wordIds = new int[wordCap];
    this.wordMask = wordCap - 1;
    for (Map.Entry<Long, Integer> e : b.keys.entrySet()) {
      int i = slot(e.getKey(), wordMask);
      while (wordKeys[i] != 0) {
        i = (i + 1) & wordMask;
      }
      wordKeys[i] = e.getKey();
      wordIds[i] = e.getValue();
      long key = e.getKey();
      int b1 = (int) key & (FILTER_BITS - 1);
      int b2 = (int) (key >>> 40) & (FILTER_BITS - 1);
      filter[b1 >>> 6] |= 1L << b1;
      filter[b2 >>> 6] |= 1L << b2;
    }
    int states = t.children.size();
    this.rootNext = new int[words + 1];
    int edges = 0;
    for (int s = 0; s < states; s++) {
      edges += s == 0 ? 0 : t.children.get(s).size();
    }
    int gotoCap = Integer.highestOneBit(Math.max(16, edges * 2 + 1)) * 2;
    this.gotoKeys = new long[gotoCap];
    this.gotoNext = new int[gotoCap];
    this.gotoMask = gotoCap - 1;
    this.childBits = new long[states];
    for (int s = 0; s < states; s++) {
      for (Map.Entry<Integer, Integer> e : t.children.get(s).entrySet()) {
        if (s == 0) {
          rootNext[e.getKey()] = e.getValue();
        } else {
          childBits[s] |= 1L << e.getKey();
          long k = edgeKey(s, e.getKey());
          int i = slot(k, gotoMask);
          while (gotoKeys[i] != 0) {
            i = (i + 1) & gotoMask;
          }
          gotoKeys[i] = k;
          gotoNext[i] = e.getValue();
        }
      }
    }
    this.fail = t.fail;
    this.outStart = new int[states + 1];
    List<Integer> outs = new ArrayList<>();
    for (int s = 0; s < states; s++) {
      outStart[s] = outs.size();
      outs.addAll(t.outputs.get(s));
    }
    outStart[states] = outs.size();
    this.outPhrase = outs.stream().mapToInt(Integer::intValue).toArray();
    int n = b.phrases.size();
    this.theme = new byte[n];
    this.weight = new int[n];
    this.text = new String[n];
    this.source = new String[n];
    this.undo = new int[n][];
    for (int p = 0; p < n; p++) {
      Builder.Phrase ph = b.phrases.get(p);
      theme[p] = (byte) ph.theme;
      weight[p] = ph.entry.weight();
      text[p] = ph.entry.text();
      source[p] = ph.entry.source();
    }
    for (int p = 0; p < n; p++) {
      Builder.Phrase ph = b.phrases.get(p);
      if (ph.entry.exception()) {
        undo[p] = inside(ph.words.get(0), ph.theme);
      }
    }
  }

  /** Starts an empty set of phrases. */
  public static Builder builder() {
    return new Builder();
  }

  /** The id of the word with key {@code key} (see {@link WordFolder}), or 0 for a word in no phrase. */
  public int wordId(long key) {
    int b1 = (int) key & (FILTER_BITS - 1);
    int b2 = (int) (key >>> 40) & (FILTER_BITS - 1);
    if ((filter[b1 >>> 6] & (1L << b1)) == 0 || (filter[b2 >>> 6] & (1L << b2)) == 0) {
      return 0; // most words of a page are in no phrase: decided here, without touching the table
    }
    int i = slot(key, wordMask);
    while (true) {
      long k = wordKeys[i];
      if (k == key) {
        return wordIds[i];
      }
      if (k == 0) {
        return 0;
      }
      i = (i + 1) & wordMask;
    }
  }

  /** The state after {@code state} reads word {@code wordId}. The root is state 0. */
  public int next(int state, int wordId) {
    if (wordId == 0) {
      return 0;
    }
    long bit = 1L << wordId; // (shift distance mod 64)
    while (state != 0) {
      if ((childBits[state] & bit) != 0) { // maybe an edge: probe the table
        long k = edgeKey(state, wordId);
        int i = slot(k, gotoMask);
        while (true) {
          long g = gotoKeys[i];
          if (g == k) {
            return gotoNext[i];
          }
          if (g == 0) {
            break;
          }
          i = (i + 1) & gotoMask;
        }
      }
      state = fail[state];
    }
    return rootNext[wordId];
  }

  /** The first output index of {@code state}; its outputs are {@link #output} of [first, end). */
  public int outputsFrom(int state) {
    return outStart[state];
  }

  /** One past the last output index of {@code state}. */
  public int outputsTo(int state) {
    return outStart[state + 1];
  }

  /** The phrase id of output {@code index}. */
  public int output(int index) {
    return outPhrase[index];
  }

  /** The state reached from the root by one word: its outputs are the one-word phrases. */
  public int single(int wordId) {
    return wordId == 0 ? 0 : rootNext[wordId];
  }

  public int phraseCount() {
    return theme.length;
  }

  public int theme(int phrase) {
    return theme[phrase];
  }

  public int weight(int phrase) {
    return weight[phrase];
  }

  public String text(int phrase) {
    return text[phrase];
  }

  public String source(int phrase) {
    return source[phrase];
  }

  public boolean isException(int phrase) {
    return undo[phrase] != null;
  }

  /** The phrases an exception takes back (empty for other phrases). */
  public int[] undo(int phrase) {
    return undo[phrase] == null ? new int[0] : undo[phrase];
  }

  /** Distinct words in all phrases. */
  public int wordCount() {
    return words;
  }

  /** Automaton states. */
  public int stateCount() {
    return fail.length;
  }

  /** Rough bytes the compiled arrays hold (for the compile log and tests). */
  public long footprintBytes() {
    return filter.length * 8L + wordKeys.length * 12L + gotoKeys.length * 12L + rootNext.length * 4L + fail.length * 16L
        + outPhrase.length * 4L + theme.length * 9L;
  }

  private int[] inside(int[] wordIdsOfException, int ofTheme) {
    List<Integer> found = new ArrayList<>();
    int s = 0;
    for (int w : wordIdsOfException) {
      s = next(s, w);
      for (int i = outputsFrom(s); i < outputsTo(s); i++) {
        int p = output(i);
        if (undo[p] == null && theme[p] == ofTheme && weight[p] != 0) {
          found.add(p);
        }
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long edgeKey(int state, int wordId) {
    return ((long) state << 32) | wordId;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9e3779b97f4a7c15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Collects phrases by theme, then builds the automaton. */
  public static final class Builder {
    private final Map<String, Integer> wordIds = new HashMap<>();
    private final Map<Long, Integer> keys = new LinkedHashMap<>();
    private final List<Phrase> phrases = new ArrayList<>();
    private final Map<String, Integer> byFolded = new HashMap<>();

    private Builder() {}

    /**
     * Adds one entry of theme {@code themeIndex} (0..127). An entry that folds to the same words
     * as an earlier one of its theme replaces it (so a school's list can re-weigh a starter
     * phrase). Returns false when the phrase folds to no word (only punctuation, or words longer
     * than {@link WordFolder#MAX_LENGTH}).
     */
    public boolean add(int themeIndex, PhraseEntry entry) {
      if (themeIndex < 0 || themeIndex > 127) {
        throw new IllegalArgumentException("theme index " + themeIndex + " (expected: 0 to 127)");
      }
      List<String> folded = WordFolder.words(entry.text());
      if (folded.isEmpty()) {
        return false;
      }
      List<int[]> variants = new ArrayList<>();
      variants.add(ids(folded));
      if (!entry.exception() && folded.size() >= 2 && folded.size() <= 3) {
        String joined = WordFolder.squash(String.join("", folded));
        if (joined.length() >= 6 && joined.length() <= WordFolder.MAX_LENGTH) {
          variants.add(ids(List.of(joined)));
        }
      }
      String folded2 = themeIndex + (entry.exception() ? "!" : ":") + String.join(" ", folded);
      Integer earlier = byFolded.get(folded2);
      if (earlier != null) {
        phrases.set(earlier, new Phrase(themeIndex, entry, variants));
      } else {
        byFolded.put(folded2, phrases.size());
        phrases.add(new Phrase(themeIndex, entry, variants));
      }
      return true;
    }

    /** Builds the automaton. */
    public PhraseSet build() {
      for (Map.Entry<String, Integer> e : new ArrayList<>(wordIds.entrySet())) {
        addSlips(e.getKey(), e.getValue());
      }
      return new PhraseSet(this, new Trie(phrases));
    }

    private int[] ids(List<String> folded) {
      int[] out = new int[folded.size()];
      for (int i = 0; i < out.length; i++) {
        String w = folded.get(i);
        Integer id = wordIds.get(w);
        if (id == null) {
          id = wordIds.size() + 1;
          wordIds.put(w, id);
          keys.put(WordFolder.key(w), id);
        }
        out[i] = id;
      }
      return out;
    }

    private void addSlips(String word, int id) {
      if (word.length() < SLIP_LENGTH || !word.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        return;
      }
      for (int i = 1; i < word.length(); i++) {
        slip(WordFolder.squash(word.substring(0, i) + word.substring(i + 1)), id);
        if (i + 1 < word.length() && word.charAt(i) != word.charAt(i + 1)) {
          slip(WordFolder.squash(word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2)), id);
        }
      }
    }

    private void slip(String variant, int id) {
      if (!wordIds.containsKey(variant)) {
        keys.putIfAbsent(WordFolder.key(variant), id);
      }
    }

    private record Phrase(int theme, PhraseEntry entry, List<int[]> words) {}
  }

  /** The goto trie, failure links and flattened outputs, built breadth first. */
  private static final class Trie {
    final List<Map<Integer, Integer>> children = new ArrayList<>();
    final List<List<Integer>> outputs = new ArrayList<>();
    int[] fail;

    Trie(List<Builder.Phrase> phrases) {
      newState();
      for (int p = 0; p < phrases.size(); p++) {
        for (int[] words : phrases.get(p).words()) {
          int s = 0;
          for (int w : words) {
            Integer n = children.get(s).get(w);
            if (n == null) {
              n = newState();
              children.get(s).put(w, n);
            }
            s = n;
          }
          if (!outputs.get(s).contains(p)) {
            outputs.get(s).add(p);
          }
        }
      }
      fail = new int[children.size()];
      ArrayDeque<Integer> queue = new ArrayDeque<>(children.get(0).values());
      while (!queue.isEmpty()) {
        int s = queue.poll();
        for (Map.Entry<Integer, Integer> e : children.get(s).entrySet()) {
          int w = e.getKey();
          int child = e.getValue();
          int f = fail[s];
          while (f != 0 && !children.get(f).containsKey(w)) {
            f = fail[f];
          }
          Integer target = children.get(f).get(w);
          fail[child] = s != 0 && target != null ? target : (s == 0 ? 0 : target == null ? 0 : target);
          for (int o : outputs.get(fail[child])) {
            if (!outputs.get(child).contains(o)) {
              outputs.get(child).add(o);
            }
          }
          queue.add(child);
        }
      }
    }

    private int newState() {
      children.add(new LinkedHashMap<>());
      outputs.add(new ArrayList<>());
      return children.size() - 1;
    }
  }
}
