package org.schoolgate.policy.download;

import java.util.Objects;

/**
 * What {@link FileTypes} found a response to be.
 *
 * @param kind the file kind
 * @param evidence what told it
 * @param detail what was seen, for people and the access log, e.g. {@code file name 'setup.msi'}
 *     or {@code starts with MZ (a Windows program)}
 */
public record Detected(FileKind kind, Evidence evidence, String detail) {
  public Detected {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(detail, "detail");
  }

  /** A sentence part: {@code an executable (content-type: application/x-msdownload)}. */
  public String summary() {
    return "a" + (kind == FileKind.EXECUTABLE || kind == FileKind.INSTALLER || kind == FileKind.ARCHIVE ? "n " : " ")
        + kind.configName().replace('-', ' ') + " (" + evidence.logName() + ": " + detail + ")";
  }
}
