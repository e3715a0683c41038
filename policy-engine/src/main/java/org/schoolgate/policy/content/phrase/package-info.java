/**
 * Phrase lists for content analysis: the list file format ({@link org.schoolgate.policy.content.phrase.PhraseList})
 * and the compiled word-level Aho–Corasick automaton over every theme's phrases
 * ({@link org.schoolgate.policy.content.phrase.PhraseSet}, with its design note). Used by
 * {@code org.schoolgate.policy.content}; not an API of its own.
 */
package org.schoolgate.policy.content.phrase;
