package org.schoolgate.policy.download;

import java.util.Objects;
import org.schoolgate.policy.Cover;
import org.schoolgate.policy.Decision;

/**
 * What the proxy does with a response whose file kind {@link FileTypes} told ({@link #decide}).
 * One method holds this precedence:
 * <ol>
 *   <li>a blocked request has no response ({@link Pass}); illegal categories are blocked first;
 *   <li>a kind the group may download passes;
 *   <li>a blocked kind on a site the school allow list, an approved unblock or a filter bypass
 *       covers ({@link Decision#cover()}) is {@link Lifted}: the file goes through and the access
 *       log says so;
 *   <li>otherwise {@link Block}: the block page (rule {@code download:<kind>}) answers instead.
 * </ol>
 */
public sealed interface DownloadDecision {
  /** A sentence for people and the access log. */
  String reason();

  /** The file passes (the kind is not blocked, or the request was). */
  record Pass(String reason) implements DownloadDecision {
    public Pass {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A blocked kind let through because {@code by} covers the site: logged. */
  record Lifted(Detected file, Cover by, String reason) implements DownloadDecision {
    public Lifted {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
      if (by == null || !by.lifts()) {
        throw new IllegalArgumentException("a lifted download needs what lifted it (expected: a cover that lifts)");
      }
    }
  }

  /** The file is refused with the block page. */
  record Block(Detected file, String reason) implements DownloadDecision {
    public Block {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }

    /** The access log's rule: {@code download:<kind>}. */
    public String rule() {
      return "download:" + file.kind().configName();
    }
  }

  /**
   * The download precedence for {@code file} (of the response to a request decided
   * {@code request}, under {@code rules}). Allocates (only for a detected file).
   */
  static DownloadDecision decide(Decision request, DownloadRules rules, Detected file) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(file, "file");
    if (request.blocked()) {
      return new Pass("the request was blocked (" + request.ruleText() + "); there is no file");
    }
    if (!rules.blocks(file.kind())) {
      return new Pass(file.summary() + " may be downloaded by " + request.group());
    }
    Cover cover = request.cover();
    if (cover.lifts()) {
      return new Lifted(file, cover, file.summary() + " would be blocked for " + request.group() + ", but the "
          + cover.rule().logName() + " allows this site, so the file is let through and logged");
    }
    return new Block(file, file.summary() + " may not be downloaded by " + request.group());
  }
}
