package org.schoolgate.policy.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sample policy that ships with Schoolgate: a {@code policy.yaml} reproducing a UK school's
 * acceptable-use matrix for primary pupils ({@code ks2}), secondary pupils ({@code ks3-4}),
 * {@code staff} and {@code guests}, and a small starter list under {@code lists/starter}. The
 * policy also reads {@code lists/ut1} (the UT1 blacklists) if it is installed there.
 *
 * <pre>{@code
 * Path policy = SamplePolicy.extractTo(Path.of("/var/lib/schoolgate"));
 * PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
 * }</pre>
 *
 * <p>The resources are listed in an {@code INDEX} file beside them, so no classpath scanning is
 * needed (works from a shaded jar).
 */
public final class SamplePolicy {
  private static final String BASE = "/org/schoolgate/policy/sample/";

  private SamplePolicy() {}

  /**
   * Writes {@code policy.yaml} and the starter lists into {@code dir} (created if needed),
   * leaving files that already exist untouched, and returns the path of {@code policy.yaml}.
   */
  public static Path extractTo(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    for (String name : resources()) {
      Path target = dir.resolve(name).normalize();
      if (!target.startsWith(dir.normalize())) {
        throw new IllegalStateException("sample resource '" + name + "' escapes " + dir);
      }
      if (Files.exists(target)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      try (InputStream in = open(name)) {
        Files.copy(in, target);
      }
    }
    return dir.resolve("policy.yaml");
  }

  /** The resource names (relative paths) of the sample, policy.yaml first. */
  public static List<String> resources() {
    List<String> out = new ArrayList<>();
    try (InputStream in = open("INDEX");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = SamplePolicy.class.getResourceAsStream(BASE + name);
    if (in == null) {
      throw new IOException("sample resource " + BASE + name + " is missing from the jar");
    }
    return in;
  }
}
