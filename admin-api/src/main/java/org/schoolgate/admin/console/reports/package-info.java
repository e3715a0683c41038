/**
 * The console's pages over the reports module: the governors' reports with charts and their
 * tables, the evidence pack (printable), the weekly digest, a person's activity timeline and the
 * policy dry run. The reports service enforces who may see what and audits every look at a named
 * person; these pages only lay its answers out.
 */
package org.schoolgate.admin.console.reports;
