package org.schoolgate.deploy;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.sample.SamplePolicy;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code schoolgate run [--config FILE] [--proxy-port N] [--admin-port N] [--dns-port N] [--data-dir DIR]}:
 * starts the proxy, the filtering DNS resolver and the admin API and runs until the process is
 * stopped. Without {@code --config} it runs the embedded default: the sample policy (extracted into
 * the data directory the first time), proxy on 0.0.0.0:3128, DNS filter on 127.0.0.1:8053, admin API
 * on 127.0.0.1:8080, access log in {@code DATA_DIR/logs}.
 */
final class RunCommand {
  static final String NAME = "schoolgate run";
  static final Path DEFAULT_DATA_DIR = Path.of("schoolgate-data");
  /** The runtime configuration template, a resource beside this class, copied into the data directory. */
  static final String SAMPLE_CONFIG = "schoolgate.sample.yaml";
  static final String USAGE = """
      Usage: schoolgate [run] [--config FILE] [--proxy-port N] [--admin-port N] [--dns-port N] [--data-dir DIR]

      Runs the filtering proxy and the admin API until stopped (Ctrl-C or SIGTERM).
      SIGHUP or POST /api/v1/policy/reload reloads the policy; a policy with errors is
      rejected and the previous one stays in force.

        --config FILE    runtime configuration (see schoolgate.example.yaml); without it Schoolgate
                         runs the embedded default: the sample policy, proxy on 0.0.0.0:3128,
                         DNS filter on 127.0.0.1:8053 (UDP and TCP), admin API on 127.0.0.1:8080
        --data-dir DIR   embedded default only: where the sample policy is extracted (once; edit it
                         there), the access log is written, and schoolgate.sample.yaml (these
                         settings as a --config file to copy) is put (default ./schoolgate-data)
        --proxy-port N   listen on port N for browsers instead of the configured port
        --admin-port N   serve the admin API on port N instead of the configured port
        --dns-port N     answer DNS on port N instead of the configured port (when the DNS
                         filter is on)
      """;
  private static final Set<String> OPTIONS = Set.of("--config", "--proxy-port", "--admin-port", "--dns-port",
      "--data-dir");
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  private RunCommand() {}

  /** Starts Schoolgate and blocks until the JVM shuts down; returns only on a start-up failure. */
  static int run(List<String> argList, PrintStream out, PrintStream err) throws InterruptedException {
    RuntimeConfig config;
    Path sampleConfig;
    Path configPath;
    try {
      Args args = Args.parse(NAME, argList, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (!args.positional().isEmpty()) {
        throw new UsageException(NAME + ": unexpected argument '" + args.positional().get(0)
            + "' (expected: options only)");
      }
      config = config(args);
      sampleConfig = args.value("--config") == null ? config.policy().resolveSibling(SAMPLE_CONFIG) : null;
      configPath = args.value("--config") == null ? null : Path.of(args.value("--config"));
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.println("Run 'schoolgate --help' for usage.");
      return 2;
    } catch (ConfigException e) {
      err.println("schoolgate: the configuration has errors:");
      e.errors().forEach(line -> err.println("  " + line));
      return 1;
    } catch (IOException e) {
      err.println("schoolgate: cannot prepare the data directory: " + e);
      return 1;
    }

    Schoolgate running;
    try {
      running = Schoolgate.start(config, Clock.systemDefaultZone());
    } catch (PolicyException e) {
      err.println("schoolgate: the policy " + config.policy() + " has errors:");
      for (PolicyError pe : e.errors()) {
        err.println("  " + pe);
      }
      return 1;
    } catch (Exception e) {
      log.debug("start-up failed", e);
      err.println("schoolgate: cannot start: " + e.getMessage());
      return 1;
    }

    SighupReloader reloader = SighupReloader.install(running.policy(), running.admin().policyReloads());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      reloader.close();
      try {
        running.close();
      } catch (RuntimeException e) {
        log.warn("error while shutting down", e);
      }
      log.info("stopped");
      stopLogging();
      stopped.countDown();
    }, "schoolgate-shutdown"));
    Banner.print(out, running, sampleConfig, configPath);
    stopped.await();
    return 0;
  }

  private static RuntimeConfig config(Args args) throws UsageException, ConfigException, IOException {
    RuntimeConfig config;
    String configFile = args.value("--config");
    if (configFile != null) {
      if (args.value("--data-dir") != null) {
        throw new UsageException(NAME + ": --data-dir applies only to the embedded default"
            + " (expected: either --config FILE or --data-dir DIR, not both)");
      }
      config = RuntimeConfigLoader.load(Path.of(configFile));
    } else {
      String dir = args.value("--data-dir");
      Path dataDir = (dir == null ? DEFAULT_DATA_DIR : Path.of(dir)).toAbsolutePath().normalize();
      config = RuntimeConfig.embedded(dataDir, samplePolicy(dataDir));
      sampleConfig(dataDir);
    }
    String proxyPort = args.value("--proxy-port");
    if (proxyPort != null) {
      config = config.withProxyPort(args.port(NAME, "--proxy-port", 0));
    }
    String adminPort = args.value("--admin-port");
    if (adminPort != null) {
      config = config.withAdminPort(args.port(NAME, "--admin-port", 0));
    }
    if (args.value("--dns-port") != null) {
      config = config.withDnsFilterPort(args.port(NAME, "--dns-port", 0));
    }
    return config;
  }

  /**
   * The sample policy in {@code dataDir}: extracted the first time; afterwards only missing files
   * are restored, so the school's edits are kept.
   */
  private static Path samplePolicy(Path dataDir) throws IOException {
    boolean fresh = !Files.exists(dataDir.resolve("policy.yaml"));
    Path policy = SamplePolicy.extractTo(dataDir);
    if (fresh) {
      log.info("sample policy written to {}: edit it there, then reload", policy);
    }
    return policy;
  }

  /**
   * Writes {@value #SAMPLE_CONFIG} into {@code dataDir} once: the embedded default's settings as
   * a file, to copy and edit for {@code --config} (the embedded default itself never reads it).
   */
  private static void sampleConfig(Path dataDir) throws IOException {
    Path target = dataDir.resolve(SAMPLE_CONFIG);
    if (Files.exists(target)) {
      return;
    }
    try (InputStream in = RunCommand.class.getResourceAsStream(SAMPLE_CONFIG)) {
      if (in == null) {
        throw new IOException("resource " + SAMPLE_CONFIG + " is missing from the jar");
      }
      Files.copy(in, target);
    }
  }

  private static void stopLogging() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }
}
