package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-run banner names a command that exists: {@code java -jar} with the jar's real path. */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void startedFromAJarTheCommandIsJavaJarWithItsAbsolutePath() throws Exception {
    Path jar = Files.createFile(dir.resolve("schoolgate.jar"));

    assertThat(Launcher.command(jar)).isEqualTo("java -jar " + jar.toAbsolutePath());
  }

  @Test
  void aPathWithSpacesIsOneShellWord() throws Exception {
    Path jar = Files.createFile(Files.createDirectories(dir.resolve("Program Files")).resolve("schoolgate.jar"));

    assertThat(Launcher.command(jar)).isEqualTo("java -jar '" + jar.toAbsolutePath() + "'");
  }

  @Test
  void startedFromClassesItNamesTheJarTheBuildMakes() {
    assertThat(Launcher.command(dir)).isEqualTo("java -jar deploy/target/schoolgate.jar");
    assertThat(Launcher.command()).as("these tests run from target/classes").isEqualTo("java -jar deploy/target/schoolgate.jar");
  }

  @Test
  void theBannerPointsTheAccountsCommandAtThisInstallation() {
    assertThat(Banner.installed(dir.resolve("data/schoolgate.sample.yaml"), null))
        .isEqualTo("--data-dir " + dir.resolve("data"));
    assertThat(Banner.installed(null, dir.resolve("schoolgate.yaml"))).isEqualTo("--config " + dir.resolve("schoolgate.yaml"));
  }
}
