package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.model.ListFormat;
import org.schoolgate.policy.model.ListSource;

/**
 * Updates one list, downloading into a temporary directory beside the list directory; any failure
 * before the swap leaves the old list untouched.
 *
 * <ul>
 *   <li>{@code squidguard}: the archive is checked (SHA-256 if configured, a safe unpack, at least
 *       one category, the categories the policy uses), then swapped in: the old directory is
 *       renamed aside, the new one renamed into place, the old one deleted; a failure of the
 *       second rename puts the old one back.
 *   <li>{@code hosts} and {@code plain}: the one file is checked (SHA-256 if configured, gzip
 *       recognised by content, the unpacked size and line length limited, and it must read as a
 *       list: see {@link ListFile}), then renamed over {@code <path>/<category>} (or
 *       {@code <category>.gz}) in one atomic step; the other spelling, if any, is removed after
 *       (a plain file wins over {@code .gz}, so the old one is in force until then).
 * </ul>
 */
final class ListUpdater {
  private final ListDownloader downloader;
  private final ListArchive.Limits limits;

  ListUpdater(ListDownloader downloader, ListArchive.Limits limits) {
    this.downloader = downloader;
    this.limits = limits;
  }

  /**
   * What an update installed.
   *
   * @param dir the list directory
   * @param categories the categories installed
   * @param bytes the download's size
   * @param sha256 the download's SHA-256
   * @param file for a single-file list, the file installed; null for an archive
   * @param stats for a single-file list, what reading it found; null for an archive
   */
  record Installed(Path dir, List<String> categories, long bytes, String sha256, Path file, ListStats stats) {
    Installed(Path dir, List<String> categories, long bytes, String sha256) {
      this(dir, categories, bytes, sha256, null, null);
    }
  }

  /**
   * Downloads and installs {@code list}; {@code usedCategories} are the categories the policy takes
   * from it (all must be in the download; may be empty).
   */
  Installed update(ListSource list, Collection<String> usedCategories) throws ListUpdateException, InterruptedException {
    if (list.format() != ListFormat.SQUIDGUARD) {
      return updateFile(list);
    }
    Path target = list.path().toAbsolutePath().normalize();
    Path parent = target.getParent();
    Path work;
    try {
      Files.createDirectories(parent);
      work = Files.createTempDirectory(parent, "." + target.getFileName() + ".update-");
    } catch (IOException e) {
      throw new ListUpdateException("cannot create a temporary directory in " + parent + ": " + e, e);
    }
    try {
      Path archive = work.resolve("download.tar.gz");
      String sha256 = downloader.download(list.url(), archive);
      if (list.sha256() != null && !list.sha256().equals(sha256)) {
        throw new ListUpdateException("the download's sha256 is " + sha256 + " but the policy expects "
            + list.sha256() + " (expected: the same; the feed changed, or the download was tampered with)");
      }
      Path unpackDir = work.resolve("unpacked");
      createDirectory(unpackDir);
      ListArchive.Unpacked unpacked = ListArchive.unpack(archive, unpackDir, limits);
      List<String> missing = usedCategories.stream().filter(c -> !unpacked.categories().contains(c)).sorted().toList();
      if (!missing.isEmpty()) {
        throw new ListUpdateException("the download lacks categories the policy uses: " + String.join(", ", missing)
            + " (expected: every category in the policy's sources; it has " + unpacked.categories().size() + ")");
      }
      swap(unpacked.listDir(), target, work);
      return new Installed(target, unpacked.categories(), unpacked.bytes(), sha256);
    } finally {
      deleteQuietly(work);
    }
  }

  /** Downloads, checks and installs the one file of a hosts or plain list. */
  private Installed updateFile(ListSource list) throws ListUpdateException, InterruptedException {
    Path dir = list.path().toAbsolutePath().normalize();
    Path work;
    try {
      Files.createDirectories(dir);
      work = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".update-");
    } catch (IOException e) {
      throw new ListUpdateException("cannot create " + dir + " and a temporary directory beside it: " + e, e);
    }
    try {
      Path download = work.resolve("download");
      String sha256 = downloader.download(list.url(), download);
      if (list.sha256() != null && !list.sha256().equals(sha256)) {
        throw new ListUpdateException("the download's sha256 is " + sha256 + " but the policy expects "
            + list.sha256() + " (expected: the same; the feed changed, or the download was tampered with)");
      }
      long bytes = size(download);
      boolean gzip = ListFile.isGzip(download);
      String name = list.category() + (gzip ? ".gz" : "");
      Path checked = work.resolve(name);
      move(download, checked);
      ListStats stats = ListFile.check(checked, list.format(), limits.maxFileBytes());
      Path target = dir.resolve(name);
      try {
        Files.move(checked, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new ListUpdateException("cannot install the new list at " + target + ": " + e, e);
      }
      Path otherSpelling = dir.resolve(gzip ? list.category() : list.category() + ".gz");
      try {
        Files.deleteIfExists(otherSpelling);
      } catch (IOException e) {
        throw new ListUpdateException("installed " + target + " but cannot remove the old " + otherSpelling
            + ", which " + (gzip ? "still takes precedence" : "is no longer used") + ": " + e
            + " (delete it by hand)", e);
      }
      return new Installed(dir, List.of(list.category()), bytes, sha256, target, stats);
    } finally {
      deleteQuietly(work);
    }
  }

  private static long size(Path file) throws ListUpdateException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new ListUpdateException("cannot read the download " + file + ": " + e, e);
    }
  }

  private static void move(Path from, Path to) throws ListUpdateException {
    try {
      Files.move(from, to);
    } catch (IOException e) {
      throw new ListUpdateException("cannot rename " + from + " to " + to + ": " + e, e);
    }
  }

  private static void swap(Path fresh, Path target, Path work) throws ListUpdateException {
    Path old = work.resolve("old");
    boolean hadOld = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    try {
      if (hadOld) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new ListUpdateException("cannot move the old list " + target + " aside: " + e, e);
    }
    try {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (hadOld) {
        try {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException restore) {
          e.addSuppressed(restore);
          throw new ListUpdateException("cannot install the new list, nor restore the old one from " + old
              + ": " + e + " (move it back to " + target + " by hand)", e);
        }
      }
      throw new ListUpdateException("cannot install the new list at " + target + ": " + e, e);
    }
  }

  private static void createDirectory(Path dir) throws ListUpdateException {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new ListUpdateException("cannot create " + dir + ": " + e, e);
    }
  }

  /** Deletes {@code dir} and everything below it, never following symbolic links. */
  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ListUpdater.class).warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
