package org.schoolgate.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * Fuzzes the policy reader (see {@code docs/fuzzing.md}): whatever the bytes of a policy file,
 * {@link PolicyReader} returns a policy or throws a {@link PolicyException} whose every error
 * names the file, a line of it (or 0) and a message; nothing else escapes. A policy it accepts
 * compiles (or fails with file:line errors too) and decides requests for every group without an
 * exception (checked for one accepted input in eight, chosen by its hash: compiling costs about
 * a hundred times reading).
 *
 * <p>The policy sits in a directory with a squidGuard list {@code lists/ut1} (category
 * {@code adult}: domains, urls, expressions), a hosts list {@code lists/hosts/ads}, a plain list
 * {@code lists/plain/games} and a domain file {@code extra.txt}, so seeds can name them. A policy
 * naming files outside that directory is read but not compiled (its lists could be anything on
 * this machine).
 */
class PolicyReaderFuzzTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:30:00Z"), ZoneOffset.UTC);
  private static final Path DIR = fixture();
  private static final Path FILE = DIR.resolve("policy.yaml");

  @FuzzTest(maxDuration = "25s")
  void everyPolicyFileReadsOrFailsWithFileLineErrors(byte[] input) throws IOException {
    Files.write(FILE, input);
    int lines = lineCount(input);
    PolicyReader.Result read;
    try {
      read = PolicyReader.read(FILE);
    } catch (PolicyException e) {
      checkErrors(e, lines);
      return;
    }
    read.warnings().forEach(w -> checkError(w, lines));
    try {
      PolicyReader.readLists(FILE);
    } catch (PolicyException e) {
      throw new AssertionError("the lists of a policy that reads fail to read alone: " + e.getMessage(), e);
    }
    if (!pathsInside(read.config()) || Math.floorMod(java.util.Arrays.hashCode(input), 8) != 0) {
      return; // compiling (lists, keyword matchers) costs ~100x reading: one accepted input in 8
    }
    PolicySnapshot snapshot;
    try {
      snapshot = PolicyCompiler.compile(read.config(), read.warnings(), CLOCK);
    } catch (PolicyException e) {
      checkErrors(e, lines);
      return;
    }
    for (GroupId group : snapshot.groups()) {
      for (String host : List.of("bad.example", "www.games.example", "ads.example", "192.0.2.1", "xn--bcher-kva.example")) {
        Decision d = snapshot.decide(new RequestFacts(group, "j.smith", host, "/games/x?q=1", CLOCK.instant()));
        assertThat(d).as("decision for %s on %s", group, host).isNotNull();
        assertThat(d.reason()).as("reason for %s on %s", group, host).isNotBlank();
      }
    }
  }

  private static void checkErrors(PolicyException e, int lines) {
    assertThat(e.errors()).as("errors of %s", e.getMessage()).isNotEmpty();
    e.errors().forEach(error -> checkError(error, lines));
  }

  private static void checkError(PolicyError error, int lines) {
    assertThat(error.file()).as("file of %s", error).isEqualTo(FILE);
    assertThat(error.line()).as("line of %s", error).isBetween(0, lines + 1);
    assertThat(error.field()).as("field of %s", error).isNotNull();
    assertThat(error.message()).as("message of %s", error).isNotBlank();
    assertThat(error.toString()).startsWith(FILE.toString());
  }

  private static boolean pathsInside(PolicyConfig config) {
    List<Path> paths = new ArrayList<>();
    config.lists().forEach(l -> {
      paths.add(l.path());
      if (l.caFile() != null) {
        paths.add(l.caFile());
      }
    });
    config.categories().forEach(c -> paths.addAll(c.files()));
    config.alerts().themes().values().forEach(t -> paths.addAll(t.lists()));
    return paths.stream().allMatch(p -> p.toAbsolutePath().normalize().startsWith(DIR));
  }

  private static int lineCount(byte[] input) {
    int lines = 1;
    for (byte b : input) {
      if (b == '\n' || b == '\r') {
        lines++;
      }
    }
    return lines;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: nothing more to do
    }
  }

  private static Path fixture() {
    try {
      Path dir = Files.createTempDirectory("schoolgate-policyfuzz").toRealPath();
      Path adult = Files.createDirectories(dir.resolve("lists/ut1/adult"));
      Files.writeString(adult.resolve("domains"), "bad.example\n.games.example\n192.0.2.1\n");
      Files.writeString(adult.resolve("urls"), "example.org/games/\n");
      Files.writeString(adult.resolve("expressions"), "(^|\\.)porn[a-z]*\\.\n");
      Files.writeString(Files.createDirectories(dir.resolve("lists/hosts")).resolve("ads"), "0.0.0.0 ads.example\n");
      Files.writeString(Files.createDirectories(dir.resolve("lists/plain")).resolve("games"), "games.example\n");
      Files.writeString(dir.resolve("extra.txt"), "extra.example\n");
      Files.writeString(dir.resolve("keywords.txt"), "badword\n");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
