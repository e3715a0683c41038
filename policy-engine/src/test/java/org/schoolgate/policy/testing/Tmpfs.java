package org.schoolgate.policy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small, real tmpfs mounted on a test's directory, to fill a disk for real (needs root, as CI
 * runs). The source name starts with {@code fix-ops-} so a stray mount is easy to tell apart;
 * {@link #close()} unmounts it (lazily if something still holds it open), also after a failure.
 *
 * <pre>{@code
 * try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 64)) {   // 64 KiB
 *   Path filler = disk.fill("filler", 48);                     // leave about 16 KiB free
 *   ...
 * }
 * }</pre>
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;
  private boolean mounted;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Creates {@code dir} and mounts a tmpfs of {@code kib} KiB on it. */
  public static Tmpfs mount(Path dir, int kib) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Tmpfs tmpfs = new Tmpfs(dir);
    run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "fix-ops-test", dir.toString());
    tmpfs.mounted = true;
    return tmpfs;
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  /** Writes a file of {@code kib} KiB (zeros) on the disk, to take that much space. */
  public Path fill(String name, int kib) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, new byte[kib * 1024]);
    return file;
  }

  /** Unmounts the tmpfs (everything on it is gone). */
  @Override
  public void close() throws IOException, InterruptedException {
    if (!mounted) {
      return;
    }
    mounted = false;
    try {
      run("umount", dir.toString());
    } catch (IOException busy) {
      run("umount", "-l", dir.toString());
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + output.strip()
          + " (expected: run as root, as CI does, to mount a tmpfs)");
    }
  }
}
