package org.schoolgate.policy.content;

import java.util.Objects;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Rule;

/**
 * What the proxy does with an analysed response: the content verdict put through the request's
 * decision ({@link #decide}). One method holds this precedence:
 * <ol>
 *   <li>a blocked request has no response to analyse ({@link None}); an illegal category is
 *       blocked before any content is read, and nothing below lifts it;
 *   <li>a {@code block} verdict for a site the school allow list, an approved unblock or a
 *       filter bypass covers ({@link Decision#cover()}: also when the matrix allowed the site
 *       and the unblock was not needed to reach it) is lifted to an {@link Alert} (the DSL still hears of it:
 *       a teacher who unblocked a site for a lesson has not unblocked what it says);
 *   <li>otherwise the verdict's action: {@link Block}, {@link Alert}, {@link Log} or {@link None}.
 * </ol>
 */
public sealed interface ContentDecision {
  /** A sentence for people and the access log. */
  String reason();

  /** Nothing to do. */
  record None(String reason) implements ContentDecision {
    public None {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Write the verdict to the access log. */
  record Log(ContentVerdict verdict, String reason) implements ContentDecision {
    public Log {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Log and alert the DSL.
   *
   * @param blockLifted true when the verdict was a block that {@code liftedBy} lifted
   * @param liftedBy the request's rule that lifted the block ({@link Rule#SCHOOL_ALLOW_LIST},
   *     {@link Rule#UNBLOCK} or {@link Rule#FILTER_BYPASS}); the request's own rule otherwise
   */
  record Alert(ContentVerdict verdict, boolean blockLifted, Rule liftedBy, String reason) implements ContentDecision {
    public Alert {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(liftedBy, "liftedBy");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Block the page (or cut the stream), log and alert.
   *
   * @param verdict the block verdict, or null when analysis failed ({@link ContentRules#onFailure})
   */
  record Block(ContentVerdict.Block verdict, String reason) implements ContentDecision {
    public Block {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The content precedence: {@code verdict} (of the response to a request decided
   * {@code request}) as what to do. Never null; allocates (it runs once per response that
   * passed a threshold, not per chunk).
   */
  static ContentDecision decide(Decision request, ContentVerdict verdict) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(verdict, "verdict");
    if (request.blocked()) {
      return new None("the request was blocked (" + request.ruleText() + "); there is no response to analyse");
    }
    ContentVerdict.ThemeHit hit = verdict.deciding();
    if (verdict instanceof ContentVerdict.Log l) {
      return new Log(l, hit.summary() + ": logged for " + request.group());
    }
    if (verdict instanceof ContentVerdict.Alert a) {
      return new Alert(a, false, request.rule(), hit.summary() + ": the DSL is alerted");
    }
    if (verdict instanceof ContentVerdict.Block b) {
      if (request.cover().lifts()) {
        Rule rule = request.cover().rule();
        return new Alert(b, true, rule, hit.summary() + ": would block for " + request.group() + ", but the "
            + rule.logName() + " allows this site, so the page is shown and the DSL is alerted");
      }
      return new Block(b, hit.summary() + ": blocked for " + request.group());
    }
    return new None("no theme reached its threshold");
  }
}
