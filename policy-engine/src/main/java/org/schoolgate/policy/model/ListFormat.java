package org.schoolgate.policy.model;

import java.nio.file.Path;
import org.schoolgate.policy.lists.CategoryFiles;
import org.schoolgate.policy.lists.ListFileReader;

/**
 * The on-disk layout of an imported list, and where a category's files are in it.
 *
 * <pre>{@code
 * CategoryFiles files = ListFormat.SQUIDGUARD.files(Path.of("lists/ut1"), "gambling");
 * }</pre>
 */
public enum ListFormat {
  /**
   * squidGuard/UT1: {@code <path>/<category>/domains[.gz]}, {@code urls[.gz]} and
   * {@code expressions[.gz]}.
   */
  SQUIDGUARD("squidguard"),
  /** Hosts files: {@code <path>/<category>[.gz]} with lines such as {@code 0.0.0.0 ads.example}. */
  HOSTS("hosts"),
  /** Plain domain-per-line files: {@code <path>/<category>[.gz]}. */
  PLAIN("plain");

  private final String configName;

  ListFormat(String configName) {
    this.configName = configName;
  }

  /** The name used in policy files. */
  public String configName() {
    return configName;
  }

  /** The files of {@code category} in the list directory {@code listDir}; none exist → {@link CategoryFiles#isEmpty()}. */
  public CategoryFiles files(Path listDir, String category) {
    return switch (this) {
      case SQUIDGUARD -> {
        Path dir = listDir.resolve(category);
        yield new CategoryFiles(ListFileReader.plainOrGzip(dir, "domains"), ListFileReader.plainOrGzip(dir, "urls"),
            ListFileReader.plainOrGzip(dir, "expressions"), null);
      }
      case HOSTS -> new CategoryFiles(null, null, null, ListFileReader.plainOrGzip(listDir, category));
      case PLAIN -> new CategoryFiles(ListFileReader.plainOrGzip(listDir, category), null, null, null);
    };
  }

  /** Parses a policy-file name or returns null. */
  public static ListFormat fromConfigName(String name) {
    for (ListFormat f : values()) {
      if (f.configName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
