package org.schoolgate.policy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trimmed UT1 lists kept in the repository for tests (CC BY-SA 4.0, see the README beside the
 * data in {@code org/schoolgate/policy/testing/ut1}): a real squidGuard layout with domains, urls
 * and expressions files. It is copied out of the classpath, so it works from this module's
 * classes and from its test jar alike.
 *
 * <pre>{@code
 * Path blacklists = Ut1Fixture.extractTo(tempDir);   // tempDir/ut1/blacklists/<category>/...
 * long gamblingDomains = Ut1Fixture.counts().get("gambling").domains();
 * }</pre>
 */
public final class Ut1Fixture {
  private static final String BASE = "/org/schoolgate/policy/testing/ut1/";
  private static final List<String> FILES = List.of("domains", "urls", "expressions");

  /** Lines in one category's files. */
  public record Count(long domains, long urls) {}

  private Ut1Fixture() {}

  /** Every category of the fixture with its line counts, in file order (from CATEGORIES.tsv). */
  public static Map<String, Count> counts() {
    Map<String, Count> out = new LinkedHashMap<>();
    List<String> lines = new String(bytes("CATEGORIES.tsv"), StandardCharsets.UTF_8).lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      out.put(f[0], new Count(Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
    return out;
  }

  /**
   * Copies the fixture into {@code dir/ut1} ({@code blacklists/<category>/domains|urls|expressions}
   * and {@code CATEGORIES.tsv}) and returns {@code dir/ut1/blacklists}.
   */
  public static Path extractTo(Path dir) {
    Path root = dir.resolve("ut1");
    Path blacklists = root.resolve("blacklists");
    try {
      Files.createDirectories(blacklists);
      Files.write(root.resolve("CATEGORIES.tsv"), bytes("CATEGORIES.tsv"));
      for (String category : counts().keySet()) {
        Path target = Files.createDirectories(blacklists.resolve(category));
        for (String file : FILES) {
          try (InputStream in = Ut1Fixture.class.getResourceAsStream(BASE + "blacklists/" + category + "/" + file)) {
            if (in != null) {
              Files.copy(in, target.resolve(file));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the UT1 fixture into " + dir, e);
    }
    return blacklists;
  }

  private static byte[] bytes(String name) {
    try (InputStream in = Ut1Fixture.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("the UT1 fixture's " + name + " is not on the classpath (expected: "
            + BASE + name + " in policy-engine's test resources)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
