/**
 * The access log through DuckDB (in-process, no server): {@link org.schoolgate.reports.logdb.LogDatabase}
 * opens one in-memory database and hands out connections in the school's time zone; {@link
 * org.schoolgate.reports.logdb.LogSource} picks a period's day files (the Parquet copy of a
 * finished day, or the JSON lines for today and any day not converted yet) as one SQL relation
 * with the columns of {@link org.schoolgate.reports.logdb.LogColumns}; {@link
 * org.schoolgate.reports.logdb.LogMaintenance} converts finished days to Parquet and deletes days
 * past the retention (audited), on its own {@code schoolgate-reports} thread.
 */
package org.schoolgate.reports.logdb;
