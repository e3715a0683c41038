package org.schoolgate.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.schoolgate.policy.sample.SamplePolicy;

/**
 * The configuration of one of several test nodes sharing a PostgreSQL database, a policy directory
 * ({@code policy-share}) and a directory of the nodes' access logs ({@code node-logs}), under one
 * test directory; each node's own files are in {@code <dir>/<node>}. Alerts for technicians and
 * the DSL go to one webhook.
 */
final class NodeConfigs {
  private NodeConfigs() {}

  static RuntimeConfig node(Path dir, String node, String jdbcUrl, int hookPort, String site) throws Exception {
    return node(dir, node, jdbcUrl, hookPort, site, "");
  }

  /** As above, with {@code more} (top-level YAML, e.g. a {@code proxy:} section) added at the end. */
  static RuntimeConfig node(Path dir, String node, String jdbcUrl, int hookPort, String site, String more)
      throws Exception {
    Path home = Files.createDirectories(dir.resolve(node));
    Path shared = dir.resolve("policy-share"); // the policy directory the nodes read (an NFS export, say)
    if (!Files.exists(shared.resolve("policy.yaml"))) {
      SamplePolicy.extractTo(Files.createDirectories(shared));
    }
    Path file = home.resolve("schoolgate.yaml");
    Files.writeString(file, """
        policy: ../policy-share/policy.yaml
        access-log:
          dir: ../node-logs/%s
        reports:
          node-logs: ../node-logs
        dns:
          static:
            %s: 127.0.0.1
            newly-blocked.schoolgate.test: 127.0.0.1
        database:
          url: %s
          user: postgres
          node: %s
        alerts:
          webhooks:
            - { name: hook, format: generic, url: "http://127.0.0.1:%d/alerts" }
          routes:
            - { match: { audience: technicians }, to: [webhook:hook] }
            - { match: { audience: dsl }, to: [webhook:hook] }
          group-window: 0s
        identity:
          strip-realms: [SCHOOL]
          sessions:
            reporters: [127.0.0.0/8]
          sync-every: 200ms
        """.formatted(node, site, jdbcUrl, node, hookPort) + more);
    return RuntimeConfigLoader.load(file).withProxyPort(0).withAdminPort(0);
  }
}
