package org.schoolgate.proxy.log.export;

/**
 * Which copies of the access log to write besides its JSON lines.
 *
 * @param squid also write {@code squid-access-YYYY-MM-DD.log} in Squid's native format beside the
 *     JSON files
 * @param syslog where to send each line as RFC 5424 syslog, or null for nowhere
 */
public record LogExports(boolean squid, SyslogSettings syslog) {
  /** No copies: the JSON lines only. */
  public static final LogExports NONE = new LogExports(false, null);

  /** Whether anything is copied at all. */
  public boolean any() {
    return squid || syslog != null;
  }
}
