/**
 * Reports from the access log and the store, for the console and the admin API: {@link
 * org.schoolgate.reports.Reports} is the one entry point; every method takes the {@link
 * org.schoolgate.reports.Viewer} and applies who may see what (named people for the DSL and
 * senior leaders, a teacher's own requests, aggregates with small counts suppressed for everyone
 * else), and every look at a named person's activity is audited ({@code history.viewed}).
 *
 * <p>Sub-packages: {@code logdb} (the access log through DuckDB: day files, Parquet, retention),
 * {@code traffic} (blocked requests, top sites, bypasses), {@code people} (the person timeline
 * and web furniture), {@code staff} (unblocks, alerts, the audit trail), {@code evidence} (the
 * annual evidence pack), {@code dryrun} (a candidate policy against the logged traffic).
 */
package org.schoolgate.reports;
