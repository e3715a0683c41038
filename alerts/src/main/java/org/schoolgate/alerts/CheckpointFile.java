package org.schoolgate.alerts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Checkpoint} in {@value #NAME} in the access-log directory: written to a
 * temporary file, forced to disk and moved over the old one atomically, so a reader sees the old
 * or the new checkpoint, never half of one. Like the access log it says who browsed when, so the
 * temporary file is created {@code rw-------} (and the checkpoint, which it becomes, is never more
 * open). Blocks (file I/O): the engine's thread writes it.
 */
final class CheckpointFile {
  /** The file's name in the access-log directory. */
  static final String NAME = "alerts.checkpoint";
  private static final Logger log = LoggerFactory.getLogger(CheckpointFile.class);

  private final Path file;
  private final Path temp;

  CheckpointFile(Path dir) {
    this.file = dir.resolve(NAME);
    this.temp = dir.resolve(NAME + ".tmp");
  }

  Path path() {
    return file;
  }

  /** The checkpoint on disk; empty when there is none (or it cannot be read, which is logged). */
  Optional<Checkpoint> read() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read the alert checkpoint {}: {}; starting without one", file, e.toString());
      return Optional.empty();
    }
    try {
      return Optional.of(Checkpoint.parse(text));
    } catch (IllegalArgumentException e) {
      log.warn("the alert checkpoint {} is not readable ({}); starting without one", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Replaces the checkpoint on disk with {@code checkpoint}. */
  void write(Checkpoint checkpoint) throws IOException {
    byte[] bytes = (checkpoint.format() + "\n").getBytes(StandardCharsets.UTF_8);
    Files.deleteIfExists(temp); // a left-over from a crash: created anew with our permissions
    try (FileChannel ch = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ownerOnly())) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private FileAttribute<?>[] ownerOnly() {
    return temp.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
