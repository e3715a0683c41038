package org.schoolgate.policy.lists;

import java.nio.file.Path;

/**
 * The files one category of an imported list is read from; each is null when absent.
 *
 * @param domains domain-per-line file ({@code domains} of squidGuard, or a plain list)
 * @param urls {@code host/path}-per-line file
 * @param expressions regular expressions over the URL, one per line (squidGuard)
 * @param hosts a hosts file ({@code 0.0.0.0 name})
 */
public record CategoryFiles(Path domains, Path urls, Path expressions, Path hosts) {

  /** True when the category has no file at all. */
  public boolean isEmpty() {
    return domains == null && urls == null && expressions == null && hosts == null;
  }
}
