package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.schoolgate.store.DatabaseConfig;

/**
 * The directories a start-up is about to create (the access log's, the SQLite file's), noted
 * before anything is created, so that a start that fails removes them again with whatever it put
 * in them: a failed start leaves the disk as it found it. Only directories that did not exist are
 * ever removed.
 */
final class NewDirectories {
  /** The topmost directory of each expected path that does not exist yet. */
  private final List<Path> missing = new ArrayList<>();

  /** Notes the part of {@code dir} that does not exist yet. */
  NewDirectories expect(Path dir) {
    Path top = null;
    for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
      top = p;
    }
    if (top != null && !missing.contains(top)) {
      missing.add(top);
    }
    return this;
  }

  /** Notes the directory of an SQLite database file (nothing for PostgreSQL or an in-memory database). */
  NewDirectories expectDatabase(DatabaseConfig database) {
    String url = database.jdbcUrl();
    if (!url.startsWith("jdbc:sqlite:")) {
      return this;
    }
    String file = url.substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    file = query < 0 ? file : file.substring(0, query);
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return this;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    return parent == null ? this : expect(parent);
  }

  /** Deletes every noted directory that exists now, with its contents; problems are added to {@code failure}. */
  void removeAll(Exception failure) {
    for (Path top : missing) {
      if (!Files.exists(top)) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(top)) {
        for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(new IOException("could not remove " + top + ", which this failed start created: " + e, e));
      }
    }
  }
}
