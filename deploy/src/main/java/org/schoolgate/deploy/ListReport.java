package org.schoolgate.deploy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.lists.InvalidLine;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.SourceRef;

/**
 * How each list of a compiled policy loaded: per imported list ({@code lists:}, summed over the
 * categories taken from it) and per {@code files:} file, the entries, duplicates and invalid lines,
 * and the first {@value ListStats#KEPT_INVALID} invalid lines as {@code file:line: problem: text}.
 * Inline {@code domains:} and {@code urls:} are left out: the policy reader refuses invalid ones.
 */
final class ListReport {
  /**
   * One list's totals.
   *
   * @param name {@code list ut1} or {@code file /path/extra.txt}
   * @param firstInvalid the first invalid lines, in load order, at most {@value ListStats#KEPT_INVALID}
   */
  record Row(String name, long entries, long duplicates, long invalid, List<InvalidLine> firstInvalid) {}

  private ListReport() {}

  /** The rows of {@code policy}, in the order the lists were first loaded. */
  static List<Row> of(CompiledPolicy policy) {
    Map<String, String> names = new HashMap<>();
    for (CategoryConfig c : policy.config().categories()) {
      for (SourceRef ref : c.sources()) {
        names.put(c.id().value() + "\n" + ref, "list " + ref.list());
      }
      for (Path file : c.files()) {
        names.put(c.id().value() + "\n" + file, "file " + file);
      }
    }
    Map<String, Totals> byName = new LinkedHashMap<>();
    for (CategoryLoad load : policy.loads()) {
      String name = names.get(load.category().value() + "\n" + load.source());
      if (name != null) {
        byName.computeIfAbsent(name, n -> new Totals()).add(load.stats());
      }
    }
    List<Row> rows = new ArrayList<>();
    byName.forEach((name, t) -> rows.add(new Row(name, t.entries, t.duplicates, t.invalid, List.copyOf(t.first))));
    return rows;
  }

  /** Prints one line per row, each followed by its first invalid lines, indented. */
  static void print(List<Row> rows, PrintStream out) {
    for (Row r : rows) {
      out.println(r.name() + ": " + r.entries() + " entries, " + r.duplicates() + " duplicates, "
          + r.invalid() + " invalid lines");
      for (InvalidLine bad : r.firstInvalid()) {
        out.println("  " + bad);
      }
      if (r.invalid() > r.firstInvalid().size()) {
        out.println("  ... and " + (r.invalid() - r.firstInvalid().size())
            + " more invalid lines (the log has each file's count)");
      }
    }
  }

  private static final class Totals {
    long entries;
    long duplicates;
    long invalid;
    final List<InvalidLine> first = new ArrayList<>();

    void add(ListStats s) {
      entries += s.entries();
      duplicates += s.duplicates();
      invalid += s.invalid();
      for (InvalidLine bad : s.firstInvalid()) {
        if (first.size() < ListStats.KEPT_INVALID) {
          first.add(bad);
        }
      }
    }
  }
}
