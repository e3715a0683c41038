package org.schoolgate.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.sample.SamplePolicy;

/** Helpers shared by the policy tests: writing policies, compiling them, times in London. */
public final class TestPolicies {
  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC);

  private TestPolicies() {}

  /** Extracts and compiles the sample policy in {@code dir}. */
  public static CompiledPolicy sample(Path dir) {
    try {
      return PolicyCompiler.compileFile(SamplePolicy.extractTo(dir), CLOCK);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** Writes {@code yaml} as {@code dir/policy.yaml} and returns its path. */
  public static Path write(Path dir, String yaml) {
    try {
      Path file = dir.resolve("policy.yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles {@code yaml} written to {@code dir/policy.yaml}. */
  public static CompiledPolicy compile(Path dir, String yaml) {
    try {
      return PolicyCompiler.compileFile(write(dir, yaml), CLOCK);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** London wall-clock time, e.g. {@code 2026-11-23T12:30}, as an instant. */
  public static Instant london(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(LONDON).toInstant();
  }

  public static RequestFacts facts(String group, String user, String host, String path, Instant at) {
    return new RequestFacts(new GroupId(group), user, host, path, at);
  }
}
