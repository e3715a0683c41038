package org.schoolgate.policy.compile;

import java.io.IOException;
import java.util.function.BiConsumer;
import org.schoolgate.policy.index.IndexBuilder;
import org.schoolgate.policy.lists.CategoryFiles;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.lists.ListStats;

/** Reads one category's list files into the index and the expression matcher. */
final class ListSources {
  private ListSources() {}

  /**
   * Reads every file of {@code files} for category index {@code c}; {@code loaded} receives the
   * kind ({@code domains}, {@code urls}, {@code expressions}, {@code hosts}) and the counts of each.
   */
  static void read(CategoryFiles files, int c, IndexBuilder builder, ExpressionMatcher.Builder expressions,
      BiConsumer<String, ListStats> loaded) throws IOException {
    if (files.domains() != null) {
      loaded.accept("domains", ListFileReader.readDomains(files.domains(), d -> builder.addDomain(d, c)));
    }
    if (files.hosts() != null) {
      loaded.accept("hosts", ListFileReader.readHosts(files.hosts(), d -> builder.addDomain(d, c)));
    }
    if (files.urls() != null) {
      loaded.accept("urls", ListFileReader.readUrls(files.urls(), u -> builder.addUrl(u, c)));
    }
    if (files.expressions() != null) {
      loaded.accept("expressions", ListFileReader.readExpressions(files.expressions(), ExpressionMatcher::check,
          e -> expressions.add(c, e)));
    }
  }
}
