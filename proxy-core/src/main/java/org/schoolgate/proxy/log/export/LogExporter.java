package org.schoolgate.proxy.log.export;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.proxy.log.AccessEventSink;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.ExportLoss;
import org.schoolgate.proxy.metrics.ProxyMetrics.LogExport;

/**
 * The access log's copies ({@link LogExports}), as a sink on the access-log writer thread: each
 * request's squid line is made there once, appended to the squid-format file and, as the MSG of
 * an RFC 5424 message, queued for the syslog sender's thread. DNS queries have no Squid form and
 * are not copied. Close it after the access log, whose thread it runs on.
 *
 * <pre>{@code
 * LogExporter exporter = LogExporter.start(new LogExports(true, SyslogSettings.of("10.0.0.5", 514, UDP)),
 *     accessLogDir, metrics);
 * AccessLog log = AccessLog.start(accessLogDir, 65_536, metrics, exporter);
 * }</pre>
 */
public final class LogExporter implements AccessEventSink, AutoCloseable {
  private final ProxyMetrics metrics;
  private final SquidLogFile squid;
  private final SyslogSender syslog;
  private final SyslogFormat syslogFormat;

  private LogExporter(LogExports exports, Path dir, ProxyMetrics metrics) {
    this.metrics = metrics;
    this.squid = exports.squid() ? new SquidLogFile(dir) : null;
    SyslogSettings s = exports.syslog();
    this.syslogFormat = s == null ? null
        : new SyslogFormat(s.facility(), s.hostname() != null ? s.hostname() : localName(), ProcessHandle.current().pid());
    this.syslog = s == null ? null : new SyslogSender(s, metrics);
  }

  /** Starts the copies {@code exports} asks for (the syslog thread among them); none is cheap. */
  public static LogExporter start(LogExports exports, Path accessLogDir, ProxyMetrics metrics) {
    Objects.requireNonNull(exports, "exports");
    Objects.requireNonNull(accessLogDir, "accessLogDir");
    Objects.requireNonNull(metrics, "metrics");
    return new LogExporter(exports, accessLogDir, metrics);
  }

  /** This machine's name for syslog's HOSTNAME field (read once, at start), or {@code -}. */
  private static String localName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isEmpty() || name.chars().anyMatch(c -> c < 33 || c > 126) ? "-" : name;
    } catch (UnknownHostException e) {
      return "-";
    }
  }

  @Override
  public void accept(AccessEvent event) {
    if (squid == null && syslog == null) {
      return;
    }
    String line = SquidFormat.line(event);
    if (squid != null) {
      if (squid.write(event.time(), event.zone(), line)) {
        metrics.exported(LogExport.SQUID);
      } else {
        metrics.exportDropped(LogExport.SQUID, ExportLoss.FAILED);
      }
    }
    if (syslog != null) {
      syslog.offer(syslogFormat.message(event, line));
    }
  }

  @Override
  public void flush() {
    if (squid != null) {
      squid.flush();
    }
  }

  /** Closes the squid file and sends what syslog still holds (a few seconds at most). */
  @Override
  public void close() {
    if (squid != null) {
      squid.flush();
      squid.close();
    }
    if (syslog != null) {
      syslog.close();
    }
  }
}
