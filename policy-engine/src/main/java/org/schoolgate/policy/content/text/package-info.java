/**
 * Text for content analysis, streaming and bounded: {@link org.schoolgate.policy.content.text.CharFold}
 * (the per-script character table), {@link org.schoolgate.policy.content.text.WordFolder} (folded
 * words as 64-bit keys, with the Latin-only leet track) and the extractors behind
 * {@link org.schoolgate.policy.content.text.TextExtractor}: HTML, JSON string values and
 * server-sent events. Used by {@code org.schoolgate.policy.content}; not an API of its own.
 */
package org.schoolgate.policy.content.text;
