package org.schoolgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic category feed in the squidGuard/UT1 directory layout
 * ({@code blacklists/<category>/domains}), for measuring the index at commercial scale.
 *
 * <p>{@value #TOTAL} domain lines (by default) over five categories, most of them in
 * {@code adult} as in UT1. Names have 1 to 3 labels of 2 to 14 letters, digits and inner hyphens
 * under a TLD drawn from a realistic mix ({@code com}, {@code net}, {@code org}, {@code co.uk},
 * {@code de}, {@code fr}, {@code ru}, {@code info}, ...); about 4 % of lines are subdomains of an
 * earlier line and about 1 % repeat an earlier line (in the same or another category). The same
 * seed always writes the same files, so a feed already on disk is reused ({@link #ensure}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.SyntheticFeed benchmarks/target/feed5m
 * </pre>
 */
final class SyntheticFeed {
  static final int TOTAL = 5_000_000;
  static final long SEED = 20261123L;
  /** Category directory names and their share of the lines, in per mille. */
  private static final String[] CATEGORIES = {"adult", "gambling", "games", "social_networks", "malware"};
  private static final int[] PER_MILLE = {920, 30, 25, 10, 15};
  private static final String[] TLDS = {"com", "net", "org", "co.uk", "de", "fr", "ru", "info", "nl", "pl",
      "it", "io", "com.br", "xyz", "es"};
  private static final int[] TLD_WEIGHTS = {46, 9, 7, 5, 7, 5, 7, 4, 2, 2, 2, 1, 1, 1, 1};
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int RECENT = 1 << 12;

  private SyntheticFeed() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/feed5m");
    int total = args.length > 1 ? Integer.parseInt(args[1]) : TOTAL;
    long start = System.nanoTime();
    Path blacklists = ensure(dir, total);
    System.out.printf("%s: %,d lines in %d ms%n", blacklists, total, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The {@code blacklists} directory of a feed of {@code total} lines under {@code dir}, written
   * unless a complete one (same size and seed) is already there.
   */
  static Path ensure(Path dir, int total) throws IOException {
    Path blacklists = dir.resolve("blacklists");
    Path marker = dir.resolve("COMPLETE");
    String stamp = "lines=" + total + " seed=" + SEED + "\n";
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
      return blacklists;
    }
    Files.deleteIfExists(marker);
    SplittableRandom random = new SplittableRandom(SEED);
    String[] recent = new String[RECENT];
    int written = 0;
    for (int c = 0; c < CATEGORIES.length; c++) {
      int lines = c == CATEGORIES.length - 1 ? total - written : (int) ((long) total * PER_MILLE[c] / 1000);
      Path category = blacklists.resolve(CATEGORIES[c]);
      Files.createDirectories(category);
      try (BufferedWriter out = Files.newBufferedWriter(category.resolve("domains"), StandardCharsets.UTF_8)) {
        for (int i = 0; i < lines; i++) {
          String name = next(random, recent, written + i);
          recent[(written + i) & (RECENT - 1)] = name;
          out.write(name);
          out.write('\n');
        }
      }
      written += lines;
    }
    Files.writeString(marker, stamp);
    return blacklists;
  }

  private static String next(SplittableRandom random, String[] recent, int index) {
    int roll = random.nextInt(100);
    String earlier = index > 0 ? recent[random.nextInt(Math.min(index, RECENT))] : null;
    if (earlier != null && roll == 0) {
      return earlier; // a duplicate
    }
    if (earlier != null && roll <= 4) {
      return label(random) + "." + earlier; // a subdomain of a listed name
    }
    int labels = 1 + weighted(random, new int[] {70, 22, 8});
    StringBuilder b = new StringBuilder(32);
    for (int l = 0; l < labels; l++) {
      b.append(label(random)).append('.');
    }
    return b.append(TLDS[weighted(random, TLD_WEIGHTS)]).toString();
  }

  /** A label of 2 to 14 characters; sometimes with an inner hyphen. */
  static String label(SplittableRandom random) {
    int length = 2 + random.nextInt(5) + random.nextInt(5) + random.nextInt(5);
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ALPHABET.charAt(i == 0 ? random.nextInt(26) : random.nextInt(ALPHABET.length()));
    }
    if (length > 4 && random.nextInt(8) == 0) {
      c[1 + random.nextInt(length - 2)] = '-';
    }
    return new String(c);
  }

  private static int weighted(SplittableRandom random, int[] weights) {
    int sum = 0;
    for (int w : weights) {
      sum += w;
    }
    int r = random.nextInt(sum);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Every {@code step}-th line of the feed's domain files, up to {@code n} names. */
  static List<String> sample(Path blacklists, int n, int step) throws IOException {
    List<String> out = new ArrayList<>(n);
    for (String category : CATEGORIES) {
      try (var lines = Files.lines(blacklists.resolve(category).resolve("domains"))) {
        var it = lines.iterator();
        for (long i = 0; it.hasNext() && out.size() < n; i++) {
          String line = it.next();
          if (i % step == 0) {
            out.add(line);
          }
        }
      }
    }
    return out;
  }
}
