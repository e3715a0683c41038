package org.schoolgate.proxy.log;

import java.util.Objects;

/**
 * What a response was told to be when its group may not download that kind of file, as the access
 * log writes it under {@code download}.
 *
 * @param action {@code block} (the block page answered) or {@code allow} (let through: the site is covered)
 * @param kind the file kind's config name, e.g. {@code executable}
 * @param evidence what told it: {@code url}, {@code content-type}, {@code content-disposition} or {@code bytes}
 * @param detail what was seen, e.g. {@code file name 'setup.msi'}
 * @param liftedBy the rule that let a blocked kind through ({@code school-allow-list},
 *     {@code unblock}, {@code filter-bypass}), or null
 */
public record DownloadNote(String action, String kind, String evidence, String detail, String liftedBy) {
  public DownloadNote {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(detail, "detail");
  }
}
