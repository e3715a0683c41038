package org.schoolgate.policy.lists;

import java.nio.file.Path;

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
 */
public record ListStats(Path file, int lines, int entries, int duplicates, int invalid, int skipped) {

  /** The data lines: everything but blank and comment lines. */
  public int dataLines() {
    return entries + duplicates + invalid;
  }
}
