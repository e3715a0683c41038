package org.schoolgate.policy.accesslog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log holds who browsed what, so its directory is created {@code rwx------} and its
 * files — the day files, and the reports' Parquet copies and per-day summaries of them — {@code rw-------}, with the permissions given at creation (never a moment world-readable,
 * whatever the umask). A day file left more open by an older version is narrowed when opened; a
 * directory that others may read is reported, not changed (an administrator may have chosen a
 * group, as systemd's {@code LogsDirectoryMode} does).
 */
public final class OwnerOnly {
  private static final Logger log = LoggerFactory.getLogger(OwnerOnly.class);
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnly() {}

  /** Creates {@code dir} (and missing parents) owner-only; warns when an existing one is open to others. */
  public static void directory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      if (posix(dir)) {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
        if (!java.util.Collections.disjoint(now, OTHERS)) {
          log.warn("the access log directory {} is open to every user ({}); it holds who browsed what:"
              + " chmod o-rwx {} (or 700)", dir, PosixFilePermissions.toString(now), dir);
        }
      }
      return;
    }
    Files.createDirectories(dir, with(dir.toAbsolutePath().getRoot(), DIRECTORY));
  }

  /**
   * Opens {@code file} to write (at its end) and read (its last byte), creating it owner-only; an existing file
   * readable by group or others is narrowed to owner-only.
   */
  public static FileChannel openForAppend(Path file) throws IOException {
    boolean existed = Files.exists(file);
    FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ), with(file.toAbsolutePath().getParent(), FILE));
    if (existed && posix(file)) {
      try {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
        if (!java.util.Collections.disjoint(now, GROUP_OR_OTHERS)) {
          Files.setPosixFilePermissions(file, FILE);
          log.info("access log {} was {}; now rw------- (owner only)", file, PosixFilePermissions.toString(now));
        }
      } catch (IOException e) {
        log.warn("cannot narrow the permissions of {} to owner-only: {}", file, e.toString());
      }
    }
    return channel;
  }

  /**
   * Creates {@code file} empty and owner-only for a writer that opens an existing file (DuckDB's
   * {@code COPY ... TO} keeps the mode of the file it truncates), or narrows it to owner-only if it
   * exists. Call {@link #narrow} again after the writer is done, in case it replaced the file.
   */
  public static void createFile(Path file) throws IOException {
    if (Files.exists(file)) {
      narrow(file);
      return;
    }
    Files.createFile(file, with(file.toAbsolutePath().getParent(), FILE));
  }

  /** Makes {@code file} owner-only ({@code rw-------}) where the file system has POSIX permissions. */
  public static void narrow(Path file) throws IOException {
    if (posix(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /** {@code permissions} as a creation attribute, or none where the file system has no POSIX permissions. */
  private static FileAttribute<?>[] with(Path on, Set<PosixFilePermission> permissions) {
    return posix(on) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
