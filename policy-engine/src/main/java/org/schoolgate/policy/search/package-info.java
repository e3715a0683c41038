/**
 * Search terms and safeguarding themes: {@link org.schoolgate.policy.search.SearchTerms} pulls the
 * query out of a search engine or video site request (built-in engines plus the policy's
 * {@code alerts.search-engines}); {@link org.schoolgate.policy.search.ThemeMatcher} matches a
 * term against the keyword lists of each {@link org.schoolgate.policy.search.Theme} (the shipped
 * starter lists plus the school's own), folding case, accents, leet spelling and repeated
 * letters; {@link org.schoolgate.policy.search.AlertPolicy} is the compiled {@code alerts:}
 * section the alert rules read from the snapshot.
 */
package org.schoolgate.policy.search;
