/**
 * List files: squidGuard/UT1 category directories ({@code domains[.gz]}, {@code urls[.gz]}) and plain domain-per-line files, entry normalisation and per-file counts.
 */
package org.schoolgate.policy.lists;
