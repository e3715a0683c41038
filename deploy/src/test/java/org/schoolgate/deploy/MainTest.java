package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line mistakes that stop {@code run} before anything is started. */
class MainTest {
  @TempDir Path dir;

  @Test
  void theLauncherSamplesLeaksSparselyUnlessTheOperatorSaidOtherwise() {
    String before = System.getProperty(Main.LEAK_SAMPLING);
    try {
      System.clearProperty(Main.LEAK_SAMPLING);
      Main.sparseLeakSampling();
      assertThat(System.getProperty(Main.LEAK_SAMPLING)).isEqualTo("4096");

      System.setProperty(Main.LEAK_SAMPLING, "1");
      Main.sparseLeakSampling();
      assertThat(System.getProperty(Main.LEAK_SAMPLING)).isEqualTo("1");
    } finally {
      if (before == null) {
        System.clearProperty(Main.LEAK_SAMPLING);
      } else {
        System.setProperty(Main.LEAK_SAMPLING, before);
      }
    }
  }

  @Test
  void anUnknownCommandIsRefused() throws Exception {
    Cli run = Cli.run("", "serve");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate: unknown command 'serve' (expected: run, check, lists, accounts, audit, ca, backup, restore or --help)\n");
  }

  @Test
  void anUnknownOptionNamesTheKnownOnes() throws Exception {
    Cli run = Cli.run("", "run", "--port", "3128");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate run: unknown option --port (expected one of:"
        + " --admin-port, --config, --data-dir, --dns-port, --proxy-port, --help)\n"
        + "Run 'schoolgate --help' for usage.\n");
  }

  @Test
  void aPortOutOfRangeIsRefused() throws Exception {
    Cli run = Cli.run("", "--proxy-port", "70000", "--data-dir", dir.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("schoolgate run: --proxy-port '70000' is not a port (expected: 0-65535)\n");
  }

  @Test
  void configAndDataDirTogetherAreRefused() throws Exception {
    Cli run = Cli.run("", "run", "--config", "schoolgate.yaml", "--data-dir", dir.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("schoolgate run: --data-dir applies only to the embedded default"
        + " (expected: either --config FILE or --data-dir DIR, not both)\n");
  }

  @Test
  void aConfigurationWithErrorsIsListedAndNothingStarts() throws Exception {
    Path config = dir.resolve("schoolgate.yaml");
    Files.writeString(config, "proxy:\n  listen: 0.0.0.0\n");

    Cli run = Cli.run("", "run", "--config", config.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("schoolgate: the configuration has errors:\n"
        + "  " + config + ":2: proxy.listen: '0.0.0.0' has no port"
        + " (expected: IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080)\n"
        + "  " + config + ":1: policy: is required (expected: the path of the policy YAML file)\n");
  }

  @Test
  void aPolicyWithErrorsIsListedAndNothingStarts() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "timezone: Europe/Nowhere\n");
    Path config = dir.resolve("schoolgate.yaml");
    Files.writeString(config, "policy: policy.yaml\nproxy: { listen: '127.0.0.1:0' }\nadmin: { listen: '127.0.0.1:0' }\n");

    Cli run = Cli.run("", "run", "--config", config.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("schoolgate: the policy " + dir.resolve("policy.yaml") + " has errors:\n  "
        + dir.resolve("policy.yaml") + ":1: ");
  }

  @Test
  void runHelpDescribesTheOptions() throws Exception {
    Cli run = Cli.run("", "run", "--help");

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("Usage: schoolgate [run] [--config FILE] [--proxy-port N]");
  }
}
