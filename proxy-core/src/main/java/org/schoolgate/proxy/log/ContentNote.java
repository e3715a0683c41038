package org.schoolgate.proxy.log;

import java.util.List;
import java.util.Objects;

/**
 * What content analysis concluded about one response (or an AI tool's prompt and answer), as the
 * access log writes it under {@code content} and the alert rules read it.
 *
 * @param action {@code log}, {@code alert} or {@code block} (what was done)
 * @param theme the deciding theme's config name, e.g. {@code self-harm}; null when analysis
 *     failed
 * @param score the deciding theme's score
 * @param threshold the group's threshold for that theme
 * @param phrases the top matched phrases, most first
 * @param reason a sentence for people (the content decision's)
 * @param liftedBy the rule that lifted a content block to an alert ({@code school-allow-list},
 *     {@code unblock}, {@code filter-bypass}), or null
 * @param cut true when the response had started and was ended early
 * @param failed true when analysis failed (the action is then the group's failure action)
 * @param ai true when the site is a generative-AI chat tool
 * @param prompt what was asked of an AI chat tool (an excerpt), or null
 * @param answer the start of what the page or the tool answered (an excerpt), or null
 */
public record ContentNote(String action, String theme, int score, int threshold, List<String> phrases,
    String reason, String liftedBy, boolean cut, boolean failed, boolean ai, String prompt, String answer) {
  public ContentNote {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    phrases = phrases == null ? List.of() : List.copyOf(phrases);
  }
}
