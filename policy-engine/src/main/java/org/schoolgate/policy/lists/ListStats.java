package org.schoolgate.policy.lists;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading one list file found. Every line is exactly one of: skipped (blank or comment),
 * an entry, a duplicate (already in the same category), or invalid; so
 * {@code lines == skipped + entries + duplicates + invalid}.
 *
 * @param file the file read ({@code (inline)} for inline lists)
 * @param lines lines in the file
 * @param entries entries added
 * @param duplicates entries the category already had (from this or an earlier source)
 * @param invalid lines that are not entries (logged with file:line)
 * @param skipped blank and comment lines
 * @param firstInvalid the first {@value #KEPT_INVALID} invalid lines, in file order, with the
 *     reason each is not an entry
 */
public record ListStats(Path file, int lines, int entries, int duplicates, int invalid, int skipped,
    List<InvalidLine> firstInvalid) {
  /** How many invalid lines are kept per file in {@link #firstInvalid}. */
  public static final int KEPT_INVALID = 20;

  public ListStats {
    firstInvalid = List.copyOf(firstInvalid);
    if (firstInvalid.size() > Math.min(invalid, KEPT_INVALID)) {
      throw new IllegalArgumentException("ListStats: " + firstInvalid.size() + " invalid lines kept (expected: at most "
          + Math.min(invalid, KEPT_INVALID) + ", the first of the " + invalid + " invalid lines)");
    }
  }

  /** Counts without invalid lines kept (inline lists, which the policy reader checks). */
  public ListStats(Path file, int lines, int entries, int duplicates, int invalid, int skipped) {
    this(file, lines, entries, duplicates, invalid, skipped, List.of());
  }

  /** The data lines: everything but blank and comment lines. */
  public int dataLines() {
    return entries + duplicates + invalid;
  }
}
