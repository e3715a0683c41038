package org.schoolgate.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.schoolgate.reports.ReportsSettings;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code reports:} section of the runtime configuration into {@link ReportsSettings},
 * reporting through the loader (file:line: field):
 *
 * <pre>
 * reports:
 *   retention-days: 90        # days of access log kept (JSON lines and Parquet); older days deleted, audited
 *   memory-limit-mb: 2048     # DuckDB's memory for the reports (it spills to disk beyond it)
 *   threads: 2                # DuckDB's worker threads
 *   maintenance-every: 10m    # how often finished days are converted and old days deleted
 *   node-logs: /srv/schoolgate-logs  # several nodes: every node's access-log directory is in here
 * </pre>
 */
final class ReportsReader {
  static final String KEY = "reports";
  private final RuntimeConfigLoader in;

  ReportsReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  ReportsSettings read(Node node) {
    Map<String, Node> m = in.mapping(node, KEY, Set.of("retention-days", "memory-limit-mb", "threads",
        "maintenance-every", "node-logs"));
    ReportsSettings d = ReportsSettings.DEFAULTS;
    Integer retention = number(m.get("retention-days"), "reports.retention-days", d.retentionDays());
    Integer memory = number(m.get("memory-limit-mb"), "reports.memory-limit-mb", d.memoryLimitMb());
    Integer threads = number(m.get("threads"), "reports.threads", d.threads());
    Duration every = m.get("maintenance-every") == null ? d.maintenanceEvery()
        : in.duration(m.get("maintenance-every"), "reports.maintenance-every");
    java.nio.file.Path nodeLogs = m.get("node-logs") == null ? null : in.path(m.get("node-logs"), "reports.node-logs");
    if (retention == null || memory == null || threads == null || every == null) {
      return d;
    }
    try {
      return new ReportsSettings(retention, memory, threads, every, nodeLogs);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      Node at = message.startsWith("reports.retention-days") ? m.get("retention-days")
          : message.startsWith("reports.memory-limit-mb") ? m.get("memory-limit-mb")
          : message.startsWith("reports.threads") ? m.get("threads") : m.get("maintenance-every");
      in.problem(at != null ? at : node, message);
      return d;
    }
  }

  private Integer number(Node node, String field, int absent) {
    if (node == null) {
      return absent;
    }
    String s = in.scalar(node, field);
    if (s == null) {
      return null;
    }
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      in.error(node, field, "'" + s + "' is not a whole number");
      return null;
    }
  }
}
