package org.schoolgate.reports.traffic;

import java.util.Locale;
import org.schoolgate.reports.ReportException;

/** How a series is cut: by hour, day or week (weeks start on Monday), in the school's zone. */
public enum Bucket {
  HOUR, DAY, WEEK;

  /** {@code hour}, {@code day}, {@code week}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The bucket named {@code text}; {@code invalid} otherwise. */
  public static Bucket parse(String text) {
    for (Bucket b : values()) {
      if (b.apiName().equals(text)) {
        return b;
      }
    }
    throw ReportException.invalid("bucket", "bucket '" + text + "' is not one of hour, day, week");
  }
}
