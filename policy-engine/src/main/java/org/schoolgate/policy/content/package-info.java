/**
 * Real-time content analysis: weighted phrase scoring of what a page, a JSON answer or a chat
 * tool's event stream says, by safeguarding {@link org.schoolgate.policy.content.ContentTheme}, in
 * the languages of the starter lists (English, Polish, Romanian, Urdu, Arabic) and the school's
 * own. {@link org.schoolgate.policy.content.ContentPolicy} is the compiled {@code content:} section;
 * {@link org.schoolgate.policy.content.ContentRules} a group's actions and thresholds;
 * {@link org.schoolgate.policy.content.ContentScan} the streaming, bounded, allocation-free
 * analysis of one body; {@link org.schoolgate.policy.content.ContentVerdict} what it found and
 * {@link org.schoolgate.policy.content.ContentDecision} what the proxy does about it.
 * Text extraction and folding live in {@code .text}, the phrase automaton in {@code .phrase}.
 */
package org.schoolgate.policy.content;
