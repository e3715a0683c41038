package org.schoolgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.schoolgate.admin.reload.PolicyReloads;
import org.schoolgate.store.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several nodes, one policy: every {@link #EVERY} the {@code schoolgate-policy-sync} thread
 * fingerprints the policy file (its bytes) and its {@code lists/} directory (each file's path,
 * size and modification time) and, when the fingerprint moved since the policy in force was
 * read, reloads through {@link PolicyReloads} — the same reload as SIGHUP and the admin API,
 * audited as {@code system:policy-sync} with this node's name. The policy directory is shared by
 * the nodes (an NFS export, or copied to each by the school's configuration management); a
 * policy saved on one machine, or lists updated there, are in force on every node within
 * seconds. A rejected policy is not retried until the files change again (the previous one stays
 * in force). Started on PostgreSQL only: one node on SQLite reloads on SIGHUP as before.
 */
final class PolicyFollower implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(PolicyFollower.class);

  private final Path policy;
  private final PolicyReloads reloads;
  private final ScheduledExecutorService executor;
  private String seen;

  private PolicyFollower(Path policy, PolicyReloads reloads, Duration every) {
    this.policy = policy.toAbsolutePath().normalize();
    this.reloads = reloads;
    this.seen = fingerprint();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schoolgate-policy-sync");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Follows {@code policy} (and the {@code lists/} beside it) every {@code every}. */
  static PolicyFollower start(Path policy, PolicyReloads reloads, Duration every) {
    return new PolicyFollower(policy, reloads, every);
  }

  private void check() {
    try {
      String now = fingerprint();
      if (now.equals(seen)) {
        return;
      }
      seen = now;
      log.info("the policy files at {} changed: reloading", policy.getParent());
      reloads.reload(Actor.system("policy-sync"));
    } catch (RuntimeException e) {
      log.warn("following the policy at {} failed this round: {}", policy, e.toString());
    }
  }

  /** SHA-256 over the policy file's bytes and each list file's path, size and modification time. */
  String fingerprint() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try {
      digest.update(Files.readAllBytes(policy));
    } catch (NoSuchFileException e) {
      digest.update((byte) 0); // being replaced: the next round sees the new file
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path lists = policy.resolveSibling("lists");
    if (Files.isDirectory(lists)) {
      try (Stream<Path> files = Files.walk(lists)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          digest.update(lists.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          digest.update(Long.toString(Files.size(f)).getBytes(StandardCharsets.US_ASCII));
          digest.update(Long.toString(Files.getLastModifiedTime(f).toMillis()).getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException | UncheckedIOException e) {
        digest.update((byte) 1); // a list being swapped in: the next round sees it whole
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
