/**
 * The policy dry run: a candidate policy file, validated like any policy (file:line errors), run
 * against the last days of the access log on its own {@code schoolgate-dry-run} thread, one run
 * at a time per node, with progress and cancelling ({@link org.schoolgate.reports.dryrun.DryRuns}).
 */
package org.schoolgate.reports.dryrun;
