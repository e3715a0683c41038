package org.schoolgate.deploy;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.schoolgate.policy.model.ListFormat;

/**
 * Unpacks a gzip tar of a squidGuard/UT1 list safely and finds the list in it.
 *
 * <p>Every entry must stay inside the target directory: absolute names and {@code ..} segments are
 * refused, symbolic links must be relative and without {@code ..} (so they point below their own
 * directory: UT1 links category aliases this way), hard links and device files are refused. The
 * unpacked size, the size of one file and the number of entries are limited, counting the bytes
 * actually written rather than trusting the headers.
 */
final class ListArchive {
  /**
   * The limits of one archive.
   *
   * @param maxEntries most entries
   * @param maxFileBytes largest unpacked file
   * @param maxTotalBytes largest unpacked total
   */
  record Limits(int maxEntries, long maxFileBytes, long maxTotalBytes) {
    /** Generous for UT1 (about 2 GiB unpacked at most; the full feed is a few hundred MB). */
    static final Limits DEFAULT = new Limits(200_000, 1L << 30, 4L << 30);
  }

  /** What was found: the list directory and its categories (those with a {@code domains} file). */
  record Unpacked(Path listDir, List<String> categories, long bytes) {}

  private ListArchive() {}

  /** Unpacks {@code archive} into the empty directory {@code into} and finds the list in it. */
  static Unpacked unpack(Path archive, Path into, Limits limits) throws ListUpdateException {
    Path root = into.toAbsolutePath().normalize();
    requireGzip(archive);
    long total = 0;
    int entries = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        GzipCompressorInputStream gz = new GzipCompressorInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw broken("more than " + limits.maxEntries() + " entries");
        }
        String name = e.getName();
        Path target = inside(root, name);
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          String link = e.getLinkName();
          if (link.isEmpty() || link.startsWith("/") || link.contains("\\") || segments(link).contains("..")) {
            throw broken("entry '" + name + "' is a symbolic link to '" + link
                + "', outside its directory (expected: relative links without '..')");
          }
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, target.getFileSystem().getPath(link));
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          long size = copy(tar, target, limits.maxFileBytes(), name);
          total += size;
          if (total > limits.maxTotalBytes()) {
            throw broken("unpacks to more than " + limits.maxTotalBytes() + " bytes");
          }
        } else {
          throw broken("entry '" + name + "' is a " + (e.isLink() ? "hard link" : "special file")
              + " (expected: directories, files and relative symbolic links)");
        }
      }
    } catch (ListUpdateException e) {
      throw e;
    } catch (EOFException e) {
      throw broken("it ends early (a truncated download?)");
    } catch (IOException | RuntimeException e) {
      throw broken(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    if (entries == 0) {
      throw broken("it is empty");
    }
    return find(root, total);
  }

  private static void requireGzip(Path archive) throws ListUpdateException {
    byte[] magic = new byte[2];
    try (InputStream in = Files.newInputStream(archive)) {
      if (in.readNBytes(magic, 0, 2) < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
        throw broken("it is not gzip data (expected: a .tar.gz such as UT1's blacklists.tar.gz)");
      }
    } catch (IOException e) {
      throw broken(e.toString());
    }
  }

  private static Path inside(Path root, String name) throws ListUpdateException {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || segments(name).contains("..")) {
      throw broken("entry '" + name + "' would be written outside the list directory"
          + " (expected: relative names without '..')");
    }
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root)) {
      throw broken("entry '" + name + "' would be written outside the list directory");
    }
    return target;
  }

  private static List<String> segments(String name) {
    return List.of(name.split("/"));
  }

  private static long copy(InputStream in, Path target, long max, String name) throws IOException, ListUpdateException {
    long n = 0;
    byte[] buffer = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(target)) {
      int r;
      while ((r = in.read(buffer)) > 0) {
        n += r;
        if (n > max) {
          throw broken("entry '" + name + "' is larger than " + max + " bytes");
        }
        out.write(buffer, 0, r);
      }
    }
    return n;
  }

  /**
   * The list directory: {@code root} if it holds categories, else its one subdirectory (UT1's
   * archive holds {@code blacklists/<category>/...}).
   */
  private static Unpacked find(Path root, long bytes) throws ListUpdateException {
    List<String> categories = categories(root);
    Path dir = root;
    if (categories.isEmpty()) {
      List<Path> subdirs = children(root).stream().filter(Files::isDirectory).toList();
      if (subdirs.size() == 1) {
        dir = subdirs.get(0);
        categories = categories(dir);
      }
    }
    if (categories.isEmpty()) {
      throw new ListUpdateException("the archive has no categories: no directory with a domains file"
          + " (expected: squidGuard/UT1 layout, <category>/domains[.gz])");
    }
    return new Unpacked(dir, categories, bytes);
  }

  private static List<String> categories(Path dir) throws ListUpdateException {
    List<String> out = new ArrayList<>();
    for (Path p : children(dir)) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p) && ListFormat.SQUIDGUARD.files(dir, name).domains() != null) {
        out.add(name);
      }
    }
    return out;
  }

  private static List<Path> children(Path dir) throws ListUpdateException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new ListUpdateException("cannot list " + dir + ": " + e, e);
    }
  }

  private static ListUpdateException broken(String why) {
    return new ListUpdateException("the archive is broken: " + why);
  }
}
