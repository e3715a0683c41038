package org.schoolgate.policy.model;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * An imported category list such as UT1, in one of the {@link ListFormat}s.
 *
 * @param name the name categories use in {@code sources: [name/category]}
 * @param format the layout of the directory
 * @param path the directory, resolved against the policy file's directory
 * @param required when false a missing directory is a warning and its categories are empty
 * @param url where {@code schoolgate lists update} downloads the list from (https): for
 *     {@code squidguard} a {@code .tar.gz} in squidGuard layout, for {@code hosts} and
 *     {@code plain} one file (plain or gzip) installed as {@code <path>/<category>[.gz]}; or null
 * @param sha256 the expected SHA-256 of the download (64 hex digits, lower case), or null
 * @param caFile PEM certificates to trust for the download besides the JDK's (a school's
 *     TLS-inspecting proxy, a local mirror), resolved against the policy's directory, or null
 * @param expressions whether the list's {@code expressions} files are used (default true)
 * @param category for a {@code hosts} or {@code plain} list with a {@code url}: the category the
 *     downloaded file becomes ({@code ads} → {@code <path>/ads}, or {@code ads.gz}); null otherwise
 */
public record ListSource(String name, ListFormat format, Path path, boolean required, URI url, String sha256,
    Path caFile, boolean expressions, String category) {
  public ListSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(path, "path");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("list name '" + name
          + "' has characters other than letters, digits, '_', '-', '.' (expected: e.g. ut1)");
    }
    if (url != null && (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null)) {
      throw new IllegalArgumentException("list '" + name + "': url '" + url
          + "' is not an https URL (expected: e.g. https://example.org/blacklists.tar.gz)");
    }
    if (url != null && format != ListFormat.SQUIDGUARD && category == null) {
      throw new IllegalArgumentException("list '" + name + "': a " + format.configName() + " list with a url"
          + " needs a category (expected: the category the downloaded file becomes, e.g. category: ads"
          + " for " + path.resolve("ads") + ")");
    }
    if (category != null) {
      if (format == ListFormat.SQUIDGUARD) {
        throw new IllegalArgumentException("list '" + name + "': category is for hosts and plain lists"
            + " (expected: none for squidguard; its archive has a directory per category)");
      }
      if (url == null) {
        throw new IllegalArgumentException("list '" + name + "': category is set without a url"
            + " (expected: both, or neither)");
      }
      if (!category.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]*") || category.endsWith(".gz")) {
        throw new IllegalArgumentException("list '" + name + "': category '" + category + "' is not a file name"
            + " (expected: letters, digits, '_', '-', '.', e.g. ads; without .gz)");
      }
    }
    if (caFile != null && url == null) {
      throw new IllegalArgumentException("list '" + name + "': ca-file is set without a url (expected: both, or neither)");
    }
    if (sha256 != null) {
      sha256 = sha256.toLowerCase(Locale.ROOT);
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("list '" + name + "': sha256 '" + sha256
            + "' is not 64 hex digits (expected: the output of sha256sum)");
      }
      if (url == null) {
        throw new IllegalArgumentException("list '" + name + "': sha256 is set without a url (expected: both, or neither)");
      }
    }
  }

  /** A list without a download URL. */
  public ListSource(String name, ListFormat format, Path path, boolean required) {
    this(name, format, path, required, null, null, null, true, null);
  }

  /** A list without a {@code category} (a squidguard list, or one without a url). */
  public ListSource(String name, ListFormat format, Path path, boolean required, URI url, String sha256,
      Path caFile, boolean expressions) {
    this(name, format, path, required, url, sha256, caFile, expressions, null);
  }
}
