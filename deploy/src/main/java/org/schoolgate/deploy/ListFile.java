package org.schoolgate.deploy;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.model.ListFormat;

/**
 * Checks a downloaded single-file list ({@code format: hosts} or {@code plain}) before it is
 * installed: gzip is recognised by its magic bytes, the unpacked size is limited (a small
 * download must not unpack into a disk-filling bomb), no line may exceed {@value #MAX_LINE} bytes,
 * and the file must read as a list: at least one entry, and no more invalid lines than entries
 * (an HTML error page or a file of another format is refused).
 */
final class ListFile {
  /** The longest line accepted, in bytes. */
  static final int MAX_LINE = 1 << 16;

  private ListFile() {}

  /** True when {@code file} starts with the gzip magic bytes. */
  static boolean isGzip(Path file) throws ListUpdateException {
    byte[] magic = new byte[2];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(magic, 0, 2) == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    } catch (IOException e) {
      throw new ListUpdateException("cannot read the download " + file + ": " + e, e);
    }
  }

  /**
   * Checks {@code file} (gzip when its name ends in {@code .gz}) as a list of {@code format};
   * returns what reading it found, or throws saying why it is refused.
   */
  static ListStats check(Path file, ListFormat format, long maxBytes) throws ListUpdateException {
    scan(file, maxBytes);
    ListStats stats;
    try {
      stats = format == ListFormat.HOSTS
          ? ListFileReader.readHosts(file, name -> true)
          : ListFileReader.readDomains(file, domain -> true);
    } catch (IOException e) {
      throw new ListUpdateException("the download is broken: " + e, e);
    }
    String first = stats.firstInvalid().isEmpty() ? ""
        : "; the first invalid line: line " + stats.firstInvalid().get(0).line() + ": "
            + stats.firstInvalid().get(0).problem() + ": " + stats.firstInvalid().get(0).text();
    if (stats.entries() == 0) {
      throw new ListUpdateException("the download has no valid entries (" + stats.lines() + " lines, "
          + stats.invalid() + " invalid" + first + ") (expected: a " + format.configName() + " file"
          + (format == ListFormat.HOSTS ? ", lines such as 0.0.0.0 ads.example)" : ", one domain per line)"));
    }
    if (stats.invalid() > stats.entries()) {
      throw new ListUpdateException("the download is mostly invalid: " + stats.invalid() + " invalid lines, "
          + stats.entries() + " entries" + first + " (expected: a " + format.configName() + " file)");
    }
    return stats;
  }

  /** Refuses a file that unpacks to more than {@code maxBytes} or has an over-long line; returns the unpacked size. */
  private static long scan(Path file, long maxBytes) throws ListUpdateException {
    boolean gzip = file.getFileName().toString().endsWith(".gz");
    long total = 0;
    long line = 1;
    int length = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new ListUpdateException("the download unpacks to more than " + maxBytes
              + " bytes (expected: a list file under the limit)");
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line++;
            length = 0;
          } else if (++length > MAX_LINE) {
            throw new ListUpdateException("the download's line " + line + " is longer than " + MAX_LINE
                + " bytes (expected: a list file, one entry per line)");
          }
        }
      }
    } catch (ListUpdateException e) {
      throw e;
    } catch (EOFException e) {
      throw new ListUpdateException("the download is broken: the gzip data ends early (a truncated download?)", e);
    } catch (ZipException e) {
      throw new ListUpdateException("the download is broken: the gzip data is corrupt (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ListUpdateException("the download is broken: " + e, e);
    }
    return total;
  }
}
