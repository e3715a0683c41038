package org.schoolgate.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.schoolgate.store.DatabaseConfig;

/**
 * Where the things a backup holds live on this node: the database, the policy file and its
 * {@code lists/} directory (the lists the policy names by relative path), the school CA's files
 * by role, and the runtime configuration file (null on the embedded default). Read from {@code
 * --config FILE} or the embedded default's {@code --data-dir DIR}.
 *
 * @param ca role ({@code certificate}, {@code key}, {@code pkcs12}, {@code password-file}) → file
 */
record BackupPlaces(DatabaseConfig database, Path policy, Path lists, Map<String, Path> ca, Path config) {
  static final String CA_KEY = "key";
  static final String CA_PASSWORD = "password-file";

  BackupPlaces {
    ca = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ca));
  }

  /** The places of the runtime configuration {@code file}. */
  static BackupPlaces ofConfig(Path file) throws ConfigException {
    RuntimeConfig config = RuntimeConfigLoader.load(file);
    Map<String, Path> ca = new LinkedHashMap<>();
    CaSettings i = config.interception();
    if (i != null) {
      put(ca, "certificate", i.certificate());
      put(ca, CA_KEY, i.key());
      put(ca, "pkcs12", i.pkcs12());
      put(ca, CA_PASSWORD, i.passwordFile());
    }
    Path policy = config.policy().toAbsolutePath().normalize();
    return new BackupPlaces(config.database(), policy, policy.resolveSibling("lists"), ca,
        file.toAbsolutePath().normalize());
  }

  /** The embedded default's places in {@code dataDir}: everything inside it. */
  static BackupPlaces ofDataDir(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Map<String, Path> ca = new LinkedHashMap<>();
    ca.put("certificate", CaCommand.certificateFile(dir));
    ca.put(CA_KEY, CaCommand.keyFile(dir));
    return new BackupPlaces(DatabaseConfig.sqlite(dir), dir.resolve("policy.yaml"), dir.resolve("lists"), ca, null);
  }

  /** True for files that hold secrets (kept owner-only wherever they are written). */
  static boolean secret(String role) {
    return role.equals(CA_KEY) || role.equals(CA_PASSWORD) || role.equals("pkcs12") || role.equals("config");
  }

  private static void put(Map<String, Path> ca, String role, Path file) {
    if (file != null) {
      ca.put(role, file.toAbsolutePath().normalize());
    }
  }
}
