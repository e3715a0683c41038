package org.schoolgate.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.phrase.PhraseSet;
import org.schoolgate.policy.content.text.CharFold;
import org.schoolgate.policy.content.text.TextExtractor;
import org.schoolgate.policy.content.text.WordFolder;
import org.schoolgate.policy.content.text.WordSink;

/**
 * A probe, not the scanner: how fast could the letter loop be if it read the page's UTF-8 bytes
 * several at a time (SWAR) instead of one char at a time? Over the text of
 * {@link ContentScanBenchmark}'s page (tags, comments, script, style and entities replaced by
 * spaces, so only the letter loop is measured), it times per page in this thread's CPU time,
 * the variants taking turns:
 *
 * <ul>
 *   <li>{@code chars}: the real {@link WordFolder#acceptText} over the text as chars;
 *   <li>{@code bytes}: a per-byte loop over the bytes (a 128-entry class table, one branch per
 *       byte), with the probe's key (letters packed eight to a {@code long}, then mixed);
 *   <li>{@code swar}: aligned blocks of eight bytes: letters found by two SWAR range tests, the
 *       words of a block taken out of it with shifts and masks (no per-letter branch, but a
 *       branch per word and per block boundary);
 *   <li>{@code word}: word at a time ({@link #words}): an unaligned eight-byte load at each word
 *       and at each gap, the length from a trailing-zero count, doubled letters squashed with
 *       masks, so neither a word's length nor a gap's decides a branch;
 *   <li>{@code html}, {@code scan}: for the budget, the real HTML extractor and folder over the
 *       whole page with a sink that only sums the keys, and the whole scan
 *       ({@link ContentScanBenchmark#scanPage});
 *   <li>{@code page}: {@code word} over the whole page's bytes, tags, comments, script, style and
 *       entities skipped (the next {@code >} found eight bytes a step; no attribute read, no
 *       inline tag joining a word: cruder than {@code html});
 *   <li>{@code ids}, {@code auto}: the per-word half alone, over the page's word keys recorded
 *       beforehand: {@link PhraseSet#wordId} per word, and that with the automaton's step and
 *       its output range (as {@code ContentScan.word} without one-letter runs).
 * </ul>
 *
 * A byte the probe does not handle at speed (a digit, {@code $ ' @ < &}, a byte of a non-ASCII
 * character, a word of 16 letters or more, or one of 8–15 with a doubled letter) goes to the
 * per-byte loop, which reads it as a break: a stand-in for the real path, which would decode a
 * non-ASCII run and fold it as today. So the {@code mixed} figures of {@code bytes}, {@code swar}
 * and {@code word} understate the cost of Polish, Urdu and Arabic text. Before timing (page
 * {@code en}), the words of {@code bytes}, {@code swar} and {@code word} are checked against
 * {@link WordFolder#words} (letters-only words; digits and symbols read as breaks on both sides),
 * and the per-byte loop's inputs are listed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.SwarWordProbe en 25
 * </pre>
 */
public final class SwarWordProbe {
  private static final int PAGE_WORDS = 1 << 17;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long SEED = 0xcbf29ce484222325L;
  /** Per ASCII byte: its folded letter (&gt; 0), or 0 for a break; -1 for anything else. */
  private static final byte[] CLASS = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      int e = CharFold.entry(c);
      int kind = CharFold.kind(e);
      boolean plainBreak = kind == CharFold.BREAK && c != '<' && c != '&';
      CLASS[c] = (byte) (kind == CharFold.LATIN ? CharFold.raw(e) : plainBreak ? 0 : -1);
      boolean special = CLASS[c] < 0;
      boolean inRanges = (c >= 0x24 && c <= 0x27) || (c >= 0x30 && c <= 0x40);
      if (special && !inRanges) {
        throw new IllegalStateException("special ASCII outside the SWAR ranges: " + c);
      }
    }
  }

  private final WordSink sink;
  private long h = SEED;
  private long acc;
  private int accLen;
  private int len;
  private int last;

  SwarWordProbe(WordSink sink) {
    this.sink = sink;
  }

  /** Letters of bytes {@code x} (all below 0x80): the high bit of each letter byte. */
  static long letters(long x) {
    long y = x | 0x2020202020202020L;
    long geA = y + 0x1f * ONES;
    long gtZ = y + 0x05 * ONES;
    return geA & ~gtZ & HIGH;
  }

  /** Bytes that may be neither a letter nor a plain break: $ % &amp; ' 0-9 : ; &lt; = &gt; ? @ (ASCII only). */
  static long specials(long x) {
    long r1 = (x + (0x80 - 0x24) * ONES) & ~(x + (0x80 - 0x28) * ONES);
    long r2 = (x + (0x80 - 0x30) * ONES) & ~(x + (0x80 - 0x41) * ONES);
    return (r1 | r2) & HIGH;
  }

  /** Scans {@code buf[0, end)}; {@code perByte} forces the per-byte loop everywhere. */
  void scan(byte[] buf, int end, boolean perByte) {
    int i = 0;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(buf, i);
      if (perByte || (x & HIGH) != 0 || specials(x) != 0) {
        bytes(buf, i, i + 8);
        continue;
      }
      long y = x | 0x2020202020202020L;
      long l = letters(x);
      // a letter equal to the letter before it (in this block, or the word's last letter so far)
      long t = y ^ ((y << 8) | last);
      long zero = (t - ONES) & ~t & HIGH;
      if ((zero & l & ((l << 8) | (len > 0 ? 0x80 : 0))) != 0) {
        bytes(buf, i, i + 8);
        continue;
      }
      block(y, l);
    }
    bytes(buf, i, end);
    if (len > 0) {
      emit();
    }
  }

  /**
   * Word at a time: at each word start eight bytes are read from there (an unaligned load), the
   * word's length is where the first non-letter is (a trailing-zero count: data, not a branch),
   * and a word of up to seven letters is keyed from the masked bytes at once; the gap to the next
   * word is skipped the same way. So a word's length and the gap's decide no branch: the branches
   * left (a long word, a digit or symbol, a doubled letter, non-ASCII) are rare on prose.
   */
  void words(byte[] buf, int end) {
    int p = 0;
    while (p + 16 <= end) {
      long x = (long) LONGS.get(buf, p);
      long l = letters(x);
      long odd = (x & HIGH) | specials(x);
      if (l == 0) {
        p = odd != 0 ? slow(buf, p, end) : p + 8;
        continue;
      }
      int s = Long.numberOfTrailingZeros(l) - 7;
      if ((odd & ((1L << s) - 1)) != 0) {
        p = slow(buf, p, end);
        continue;
      }
      p += s >>> 3;
      x = (long) LONGS.get(buf, p);
      long non = ~letters(x) & HIGH;
      long y = x | 0x2020202020202020L;
      if (non == 0) { // eight letters or more: the next eight bytes too
        long x2 = (long) LONGS.get(buf, p + 8);
        long non2 = ~letters(x2) & HIGH;
        long y2 = x2 | 0x2020202020202020L;
        int e2 = Long.numberOfTrailingZeros(non2) - 7;
        long t = y ^ (y << 8);
        long t2 = y2 ^ ((y2 << 8) | (y >>> 56));
        long doubled = ((t - ONES) & ~t & HIGH & ~0x80L) | ((t2 - ONES) & ~t2 & HIGH & ((1L << e2) - 1));
        if (non2 == 0 || ((((x2 & HIGH) | specials(x2)) & (0x80L << e2)) | doubled) != 0) {
          p = slow(buf, p, end);
          continue;
        }
        long h8 = (SEED ^ y) * 0x9e3779b97f4a7c15L;
        int n = 8 + (e2 >>> 3);
        sink.word(WordFolder.finish(((h8 ^ (y2 & ((1L << e2) - 1))) * 0x9e3779b97f4a7c15L) ^ n), n, (char) 0);
        p += n;
        continue;
      }
      int e = Long.numberOfTrailingZeros(non) - 7;
      long t = y ^ (y << 8);
      long doubled = (t - ONES) & ~t & HIGH & ((1L << e) - 1);
      if ((((x & HIGH) | specials(x)) & (0x80L << e)) != 0) {
        p = slow(buf, p, end);
        continue;
      }
      long w = y & ((1L << e) - 1);
      int n = e >>> 3;
      p += n;
      while (doubled != 0) { // squash: take out each letter equal to the one before, the highest first
        int b = 56 - Long.numberOfLeadingZeros(doubled);
        w = (w & ((1L << b) - 1)) | ((w >>> (b + 8)) << b);
        n--;
        doubled &= ~(0x80L << b);
      }
      sink.word(WordFolder.finish(((SEED ^ w) * 0x9e3779b97f4a7c15L) ^ n), n, (char) 0);
    }
    bytes(buf, p, end);
    if (len > 0) {
      emit();
    }
  }

  /** The per-byte loop from {@code p} to the end of the word there (at least one byte). */
  private int slow(byte[] buf, int p, int end) {
    slowCalls++;
    if (why != null) {
      int q = p;
      while (q < end && q < p + 12 && buf[q] != ' ') {
        q++;
      }
      why.merge(new String(buf, p, Math.max(1, q - p), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    int i = p;
    do {
      if (markup && (buf[i] == '<' || buf[i] == '&')) {
        if (len > 0) {
          emit();
        }
        return skipMarkup(buf, i, end);
      }
      bytes(buf, i, i + 1);
      i++;
    } while (i < end && len > 0);
    return i;
  }

  /** {@link #words} over HTML: tags, comments, script and style skipped (crudely: no attribute is read). */
  boolean markup;

  /** Past the tag, comment, script or style element or entity at {@code i}. */
  private static int skipMarkup(byte[] buf, int i, int end) {
    if (buf[i] == '&') {
      for (int j = i + 1; j < end && j <= i + 10; j++) {
        if (buf[j] == ';') {
          return j + 1;
        }
      }
      return i + 1;
    }
    if (startsWith(buf, i + 1, "script") || startsWith(buf, i + 1, "style")) {
      byte second = buf[i + 2];
      int j = i + 1;
      while (true) {
        j = find(buf, j, end, '<');
        if (j + 2 >= end || (buf[j + 1] == '/' && buf[j + 3] == second)) {
          break;
        }
        j++;
      }
      i = j;
    }
    int gt = find(buf, i, end, '>');
    return gt < end ? gt + 1 : end;
  }

  private static boolean startsWith(byte[] buf, int i, String s) {
    if (i + s.length() > buf.length) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (buf[i + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The first {@code b} at or after {@code i} (eight bytes a step), or {@code end}. */
  static int find(byte[] buf, int i, int end, char b) {
    long pattern = b * ONES;
    for (; i + 8 <= end; i += 8) {
      long t = (long) LONGS.get(buf, i) ^ pattern;
      long zero = (t - ONES) & ~t & HIGH;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    while (i < end && buf[i] != b) {
      i++;
    }
    return i;
  }

  long slowCalls;
  java.util.Map<String, Integer> why;

  /** One block of eight ASCII letters and breaks, no doubled letter. */
  private void block(long y, long l) {
    if (len > 0) { // the word of the previous block goes on
      long non = ~l & HIGH;
      if (non == 0) {
        append(y, 8);
        last = (int) (y >>> 56);
        return;
      }
      int e = Long.numberOfTrailingZeros(non) - 7;
      if (e > 0) {
        append(y & ((1L << e) - 1), e >>> 3);
      }
      emit();
      l &= -1L << e;
    }
    while (l != 0) {
      int s = Long.numberOfTrailingZeros(l) - 7;
      long non = ~l & HIGH & (-1L << s);
      if (non == 0) {
        append(y >>> s, (64 - s) >>> 3);
        last = (int) (y >>> 56);
        return;
      }
      int e = Long.numberOfTrailingZeros(non) - 7;
      append((y >>> s) & ((1L << (e - s)) - 1), (e - s) >>> 3);
      emit();
      l &= -1L << e;
    }
  }

  /** The per-byte loop: as {@link WordFolder}'s ASCII path, with the packed key. */
  private void bytes(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      int b = buf[i];
      int k = b < 0 ? -1 : CLASS[b];
      if (k > 0) {
        if (k != last || len == 0) {
          append(k, 1);
          last = k;
        }
      } else if (len > 0) {
        emit();
      }
    }
  }

  private void append(long bits, int n) {
    int free = 8 - accLen;
    acc |= bits << (accLen << 3);
    if (n < free) {
      accLen += n;
    } else {
      h = (h ^ acc) * 0x9e3779b97f4a7c15L;
      acc = free == 8 ? 0 : bits >>> (free << 3);
      accLen = n - free;
    }
    len += n;
  }

  private void emit() {
    if (len <= WordFolder.MAX_LENGTH) {
      sink.word(WordFolder.finish(((h ^ acc) * 0x9e3779b97f4a7c15L) ^ len), len, (char) 0);
    }
    h = SEED;
    acc = 0;
    accLen = 0;
    len = 0;
    last = 0;
  }

  /** The probe's key of a folded word of ASCII letters. */
  static long key(String w) {
    SwarWordProbe p = new SwarWordProbe(null);
    for (int i = 0; i < w.length(); i++) {
      p.append(w.charAt(i), 1);
    }
    return WordFolder.finish(((p.h ^ p.acc) * 0x9e3779b97f4a7c15L) ^ p.len);
  }

  /** The page's text: markup replaced by spaces (a crude strip, enough for a letter loop). */
  static String text(char[] html) {
    StringBuilder b = new StringBuilder(html.length);
    String s = new String(html);
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("<script", i) || s.startsWith("<style", i)) {
        int close = s.indexOf(s.startsWith("<script", i) ? "</script>" : "</style>", i);
        i = close < 0 ? s.length() : s.indexOf('>', close) + 1;
        b.append(' ');
      } else if (s.charAt(i) == '<') {
        int gt = s.indexOf('>', i);
        i = gt < 0 ? s.length() : gt + 1;
        b.append(' ');
      } else if (s.charAt(i) == '&') {
        int semi = s.indexOf(';', i);
        i = semi < 0 ? s.length() : semi + 1;
        b.append(' ');
      } else {
        b.append(s.charAt(i++));
      }
    }
    return b.toString();
  }

  static final class Sum implements WordSink {
    long keys;
    int words;
    long[] record;

    @Override
    public void word(long key, int length, char first) {
      keys += key;
      if (record != null) {
        record[words] = key;
      }
      words++;
    }
  }

  public static void main(String[] args) {
    boolean mixed = args.length > 0 && args[0].equals("mixed");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String text = text(ContentScanBenchmark.generate(mixed, new SplittableRandom(16)));
    char[] chars = text.toCharArray();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (!mixed) {
      check(text, bytes);
      checkPage(bytes, new String(ContentScanBenchmark.generate(false, new SplittableRandom(16)))
          .getBytes(StandardCharsets.UTF_8));
    }
    Sum sum = new Sum();
    WordFolder folder = new WordFolder(sum);
    SwarWordProbe probe = new SwarWordProbe(sum);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] names = {"chars", "bytes", "swar", "word", "html", "scan", "page", "ids", "auto"};
    PhraseSet phrases = StarterPhrases.compiled();
    Sum recorder = new Sum();
    recorder.record = new long[PAGE_WORDS];
    TextExtractor recording = TextExtractor.html(new WordFolder(recorder));
    char[] page0 = ContentScanBenchmark.generate(mixed, new SplittableRandom(16));
    recording.feed(page0, 0, page0.length);
    recording.end();
    long[] keys = Arrays.copyOf(recorder.record, recorder.words);
    System.out.printf("page: %,d words, %,d of them phrase words%n", keys.length,
        Arrays.stream(keys).filter(k -> phrases.wordId(k) != 0).count());
    char[] html = ContentScanBenchmark.generate(mixed, new SplittableRandom(16));
    byte[] pageBytes = new String(html).getBytes(StandardCharsets.UTF_8);
    SwarWordProbe pageProbe = new SwarWordProbe(sum);
    pageProbe.markup = true;
    TextExtractor extractor = TextExtractor.html(new WordFolder(sum));
    ContentScanBenchmark whole = new ContentScanBenchmark();
    whole.page = mixed ? "mixed" : "en";
    whole.setUp();
    List<List<Double>> micros = new ArrayList<>();
    for (int v = 0; v < names.length; v++) {
      micros.add(new ArrayList<>());
    }
    int pages = 100;
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < names.length; k++) {
        int v = (k + round) % names.length;
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int p = 0; p < pages; p++) {
          if (v == 0) {
            int i = 0;
            while (i < chars.length) {
              i = folder.acceptText(chars, i, chars.length);
              if (i < chars.length) {
                folder.accept(chars[i++]);
              }
            }
            folder.end();
          } else if (v == 3) {
            probe.words(bytes, bytes.length);
          } else if (v == 4) {
            extractor.reset();
            for (int off = 0; off < html.length; off += 16384) {
              extractor.feed(html, off, Math.min(16384, html.length - off));
            }
            extractor.end();
          } else if (v == 5) {
            sum.keys += whole.scanPage();
          } else if (v == 6) {
            pageProbe.words(pageBytes, pageBytes.length);
          } else if (v == 7) {
            for (long key : keys) {
              sum.words += phrases.wordId(key);
            }
          } else if (v == 8) {
            int state = 0;
            for (long key : keys) {
              int id = phrases.wordId(key);
              state = id == 0 ? 0 : phrases.next(state, id);
              sum.words += phrases.outputsTo(state) - phrases.outputsFrom(state);
            }
          } else {
            probe.scan(bytes, bytes.length, v == 1);
          }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        if (round >= 5) {
          micros.get(v).add(cpu / 1e3 / pages);
        }
      }
    }
    System.out.printf("text: %,d chars, %,d bytes (of a %,d-char page)%n", chars.length, bytes.length,
        ContentScanBenchmark.PAGE);
    for (int v = 0; v < names.length; v++) {
      double[] d = micros.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("%-6s µs per page: median %7.1f  min %7.1f  max %7.1f%n", names[v], d[d.length / 2], d[0],
          d[d.length - 1]);
    }
    System.out.println("(" + sum.keys + ")");
  }

  /** Word at a time over the HTML page reads the same words as over its text. */
  private static void checkPage(byte[] text, byte[] page) {
    long[][] got = new long[2][];
    for (int v = 0; v < 2; v++) {
      Sum s = new Sum();
      s.record = new long[page.length];
      SwarWordProbe p = new SwarWordProbe(s);
      p.markup = v == 1;
      p.words(v == 0 ? text : page, v == 0 ? text.length : page.length);
      got[v] = Arrays.copyOf(s.record, s.words);
    }
    if (!Arrays.equals(got[0], got[1])) {
      throw new IllegalStateException("page words differ: " + got[1].length + " vs " + got[0].length);
    }
    System.out.printf("checked: the HTML page gives the text's %,d words%n", got[0].length);
  }

  /** The probe's words are WordFolder's letters-only words, in order. */
  private static void check(String text, byte[] bytes) {
    List<Long> expected = new ArrayList<>();
    StringBuilder onlyLetters = new StringBuilder();
    for (char c : text.toCharArray()) { // what the probe sees: digits and symbols as breaks
      onlyLetters.append(c < 128 && CLASS[c] < 0 ? ' ' : c);
    }
    for (String w : WordFolder.words(onlyLetters)) {
      if (w.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        expected.add(key(w));
      }
    }
    for (int v = 1; v <= 3; v++) {
      Sum s = new Sum();
      s.record = new long[bytes.length];
      SwarWordProbe p = new SwarWordProbe(s);
      if (v == 3) {
        p.why = new java.util.HashMap<>();
        p.words(bytes, bytes.length);
        p.why.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
            .forEach(en -> System.out.print("[" + en.getKey().replace("\n", "\\n") + "]=" + en.getValue() + " "));
        System.out.println();
        System.out.printf("word at a time: %,d of %,d words or gaps the per-byte way%n", p.slowCalls, s.words);
      } else {
        p.scan(bytes, bytes.length, v == 1);
      }
      boolean perByte = v == 1;
      long[] got = Arrays.copyOf(s.record, s.words);
      long[] want = expected.stream().mapToLong(Long::longValue).toArray();
      if (!Arrays.equals(got, want)) {
        throw new IllegalStateException("probe words differ (perByte=" + perByte + "): " + got.length + " vs "
            + want.length);
      }
    }
    System.out.printf("checked: %,d words as WordFolder reads them%n", expected.size());
  }
}
