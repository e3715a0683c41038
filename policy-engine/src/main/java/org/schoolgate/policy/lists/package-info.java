/**
 * List files: squidGuard/UT1 category directories ({@code domains[.gz]}, {@code urls[.gz]},
 * {@code expressions[.gz]}), hosts files and plain domain-per-line files; entry normalisation and
 * per-file counts (BOM, CRLF, comments, duplicates, and invalid lines with file:line, the first
 * of them kept with their reason as {@link org.schoolgate.policy.lists.InvalidLine}s).
 */
package org.schoolgate.policy.lists;
