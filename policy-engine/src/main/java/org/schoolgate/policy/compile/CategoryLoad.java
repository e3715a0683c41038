package org.schoolgate.policy.compile;

import java.util.List;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.lists.InvalidLine;
import org.schoolgate.policy.lists.ListStats;

/**
 * What one source of one category contributed when the policy was compiled.
 *
 * <pre>{@code
 * for (CategoryLoad l : policy.loads()) {
 *   l.firstInvalid().forEach(bad -> System.out.println(bad)); // file:line: problem: text
 * }
 * }</pre>
 *
 * @param category the policy category
 * @param source {@code list/category} for imported lists, {@code domains}/{@code urls} for
 *     inline entries, or the file name for {@code files}
 * @param kind {@code domains}, {@code urls}, {@code hosts} or {@code expressions}
 * @param stats line counts, and the first invalid lines
 */
public record CategoryLoad(CategoryId category, String source, String kind, ListStats stats) {

  /** Lines of this source that are not entries (all of them, not only those kept). */
  public int invalid() {
    return stats.invalid();
  }

  /**
   * The first {@value ListStats#KEPT_INVALID} invalid lines with file, line number, text and
   * problem; empty when every line was an entry.
   */
  public List<InvalidLine> firstInvalid() {
    return stats.firstInvalid();
  }
}
