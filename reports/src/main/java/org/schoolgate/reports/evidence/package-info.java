/**
 * The evidence pack for the annual filtering review: the acceptable-use matrix in words, every
 * policy and list change with who and when, unblocks, incidents by outcome, the illegal lists'
 * status and the audit chain's verification, as one JSON document ({@link
 * org.schoolgate.reports.evidence.EvidencePack}), a printable HTML page ({@link
 * org.schoolgate.reports.evidence.EvidenceHtml}) and a CSV download ({@link
 * org.schoolgate.reports.evidence.EvidenceCsv}).
 */
package org.schoolgate.reports.evidence;
