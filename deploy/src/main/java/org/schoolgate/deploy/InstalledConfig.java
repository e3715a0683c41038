package org.schoolgate.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration of an installed Schoolgate, for the maintenance commands ({@code lists},
 * {@code accounts}, {@code audit}): {@code --config FILE}, or the embedded default's data
 * directory ({@code --data-dir DIR}, default {@code ./schoolgate-data}), which must hold the policy
 * {@code schoolgate run} extracted there.
 */
final class InstalledConfig {
  private InstalledConfig() {}

  static RuntimeConfig from(String command, Args args) throws UsageException, ConfigException {
    String configFile = args.value("--config");
    if (configFile != null && args.value("--data-dir") != null) {
      throw new UsageException(command + ": give either --config FILE or --data-dir DIR, not both");
    }
    if (configFile != null) {
      return RuntimeConfigLoader.load(Path.of(configFile));
    }
    String dir = args.value("--data-dir");
    Path dataDir = (dir == null ? RunCommand.DEFAULT_DATA_DIR : Path.of(dir)).toAbsolutePath().normalize();
    Path policy = dataDir.resolve("policy.yaml");
    if (!Files.isRegularFile(policy)) {
      throw new UsageException(command + ": there is no policy at " + policy
          + " (expected: --config FILE, or a data directory 'schoolgate run' has used)");
    }
    return RuntimeConfig.embedded(dataDir, policy);
  }
}
