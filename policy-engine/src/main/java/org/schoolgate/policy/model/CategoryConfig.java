package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;

/**
 * A category and where its hosts come from.
 *
 * @param id the category name
 * @param kind matrix category, or the school's block/allow list
 * @param sources imported list categories, e.g. {@code ut1/gambling}
 * @param domains inline domains
 * @param urls inline {@code host/path} prefixes
 * @param files plain domain-per-line files, resolved against the policy directory
 * @param description text for people; may be empty
 * @param sensitive a safeguarding topic ({@code sensitive: true}, e.g. extremism, self-harm): tools
 *     treat unblocking it with more care (see {@code PolicySnapshot.isSensitive})
 */
public record CategoryConfig(
    CategoryId id, CategoryKind kind, List<SourceRef> sources, List<String> domains,
    List<String> urls, List<Path> files, String description, boolean sensitive) {
  public CategoryConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    sources = List.copyOf(sources);
    domains = List.copyOf(domains);
    urls = List.copyOf(urls);
    files = List.copyOf(files);
    description = description == null ? "" : description;
  }

  /** A category that is not sensitive. */
  public CategoryConfig(CategoryId id, CategoryKind kind, List<SourceRef> sources, List<String> domains,
      List<String> urls, List<Path> files, String description) {
    this(id, kind, sources, domains, urls, files, description, false);
  }
}
