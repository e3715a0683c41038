package org.schoolgate.proxy.http;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.content.ContentDecision;
import org.schoolgate.policy.content.ContentVerdict;
import org.schoolgate.proxy.content.BodyAnalysis;
import org.schoolgate.proxy.log.ContentNote;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.ContentOutcome;

/**
 * Writes what content analysis concluded into an exchange's access line ({@link ContentNote}),
 * and counts it. For an AI chat tool the prompt's own verdict counts too: a prompt over a
 * threshold is at least an alert (it has already gone to the tool, so it cannot be blocked),
 * and the note quotes the prompt and the start of the answer. Runs once per analysed response
 * that found something (it allocates), never per body piece.
 */
final class ContentNotes {
  private final ProxyMetrics metrics;

  ContentNotes(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * @param d the answer's content decision, or null when its verdict was clean
   * @param cut whether the response was ended early
   * @param prompt the analysed prompt of a request to an AI chat tool, or null
   * @param answer the analysed response
   */
  void note(Exchange e, ContentDecision d, boolean cut, boolean ai, BodyAnalysis prompt, BodyAnalysis answer,
      PolicySnapshot snapshot, Decision request) {
    int excerpt = snapshot.contentPolicy().excerptChars();
    ContentDecision p = null;
    if (prompt != null) {
      prompt.end();
      ContentVerdict pv = prompt.verdict();
      if (!(pv instanceof ContentVerdict.Clean)) {
        p = snapshot.decideContent(request, pv);
        if (p instanceof ContentDecision.Block b) {
          p = new ContentDecision.Alert(b.verdict(), false, request.rule(), "the prompt: "
              + b.verdict().deciding().summary() + " (already sent to the tool): the DSL is alerted");
        }
      }
    }
    ContentDecision shown = stronger(d, p);
    if (shown == null) {
      return;
    }
    String promptText = ai && prompt != null ? prompt.excerpt(excerpt) : null;
    String answerText = ai ? answer.excerpt(excerpt) : null;
    ContentNote note;
    if (shown instanceof ContentDecision.Block b) {
      metrics.content(b.verdict() == null ? ContentOutcome.FAILED_CLOSED
          : cut ? ContentOutcome.CUT : ContentOutcome.BLOCKED);
      note = note("block", b.verdict(), b.reason(), null, cut, b.verdict() == null, ai, promptText, answerText);
    } else if (shown instanceof ContentDecision.Alert a) {
      metrics.content(a.blockLifted() ? ContentOutcome.LIFTED : ContentOutcome.ALERTED);
      note = note("alert", a.verdict(), a.reason(), a.blockLifted() ? a.liftedBy().logName() : null, false,
          false, ai, promptText, answerText);
    } else if (shown instanceof ContentDecision.Log l) {
      metrics.content(ContentOutcome.LOGGED);
      note = note("log", l.verdict(), l.reason(), null, false, false, ai, promptText, answerText);
    } else {
      metrics.content(ContentOutcome.FAILED_OPEN); // None here is only a failure that fails open
      note = note("log", null, shown.reason(), null, false, true, ai, promptText, answerText);
    }
    e.content(note);
  }

  private static ContentNote note(String action, ContentVerdict v, String reason, String liftedBy, boolean cut,
      boolean failed, boolean ai, String prompt, String answer) {
    if (v == null || v.deciding() == null) {
      return new ContentNote(action, null, 0, 0, List.of(), reason, liftedBy, cut, failed, ai, prompt, answer);
    }
    ContentVerdict.ThemeHit hit = v.deciding();
    List<String> phrases = new ArrayList<>(hit.top().size());
    hit.top().forEach(h -> phrases.add(h.phrase()));
    return new ContentNote(action, hit.theme().configName(), hit.score(), hit.threshold(), phrases, reason,
        liftedBy, cut, failed, ai, prompt, answer);
  }

  private static ContentDecision stronger(ContentDecision a, ContentDecision b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(ContentDecision d) {
    if (d instanceof ContentDecision.Block) {
      return 3;
    }
    if (d instanceof ContentDecision.Alert) {
      return 2;
    }
    return d instanceof ContentDecision.Log ? 1 : 0;
  }
}
