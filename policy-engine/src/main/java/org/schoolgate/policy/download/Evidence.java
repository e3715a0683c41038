package org.schoolgate.policy.download;

/** What told a response's file kind, as the access log names it. */
public enum Evidence {
  /** The {@code Content-Disposition} file name's extension. */
  DISPOSITION("content-disposition"),
  /** The {@code Content-Type}. */
  CONTENT_TYPE("content-type"),
  /** The extension of the URL path's last segment. */
  URL("url"),
  /** The body's first bytes (a magic number). */
  BYTES("bytes");

  private final String logName;

  Evidence(String logName) {
    this.logName = logName;
  }

  public String logName() {
    return logName;
  }
}
