package org.schoolgate.reports.logdb;

/**
 * The access log's fields as DuckDB reads them from the JSON lines (the writer's documented
 * fields: {@code time}, {@code event} ({@code dns} on the filtering resolver's lines, absent on
 * requests), {@code client}, {@code user}, {@code group}, {@code method}, {@code scheme},
 * {@code host}, {@code port}, {@code path}, {@code query}, {@code categories}, {@code action},
 * {@code level}, {@code rule}, {@code reason}, {@code unblock}, {@code safesearch}, {@code search},
 * {@code status}, {@code bytesIn}, {@code bytesOut}, {@code durationMs}, {@code qtype},
 * {@code answer}, and {@code contentType} when a writer logs it). A field a line lacks is NULL; a
 * field the log gains later is ignored until it is added here. The Parquet copy has exactly these
 * columns, in this order.
 */
final class LogColumns {
  private LogColumns() {}

  /** The {@code columns=} argument of {@code read_json}. */
  static final String JSON_COLUMNS = "{time: 'TIMESTAMPTZ', event: 'VARCHAR', client: 'VARCHAR', \"user\": 'VARCHAR',"
      + " \"group\": 'VARCHAR', method: 'VARCHAR', scheme: 'VARCHAR', host: 'VARCHAR', port: 'INTEGER',"
      + " path: 'VARCHAR', query: 'VARCHAR', categories: 'VARCHAR[]', action: 'VARCHAR', level: 'VARCHAR',"
      + " rule: 'VARCHAR', reason: 'VARCHAR', unblock: 'BIGINT', safesearch: 'VARCHAR', search: 'VARCHAR',"
      + " status: 'INTEGER', bytesIn: 'BIGINT', bytesOut: 'BIGINT', durationMs: 'BIGINT', qtype: 'VARCHAR',"
      + " answer: 'VARCHAR', contentType: 'VARCHAR'}";

  /** The same columns as a table definition, for the empty relation of a period without files. */
  static final String TABLE_COLUMNS = "time TIMESTAMPTZ, event VARCHAR, client VARCHAR, \"user\" VARCHAR,"
      + " \"group\" VARCHAR, method VARCHAR, scheme VARCHAR, host VARCHAR, port INTEGER, path VARCHAR,"
      + " query VARCHAR, categories VARCHAR[], action VARCHAR, level VARCHAR, rule VARCHAR, reason VARCHAR,"
      + " unblock BIGINT, safesearch VARCHAR, search VARCHAR, status INTEGER, bytesIn BIGINT, bytesOut BIGINT,"
      + " durationMs BIGINT, qtype VARCHAR, answer VARCHAR, contentType VARCHAR";

  /**
   * The lines of {@code files} (a SQL list literal) with these columns, as a parenthesised
   * relation. Lines DuckDB cannot read (cut by a crash, not JSON) come back empty from {@code
   * ignore_errors} and are dropped here: a line without a time is no event.
   */
  static String readJson(String files) {
    return "(SELECT * FROM read_json(" + files + ", format = 'newline_delimited', columns = " + JSON_COLUMNS
        + ", ignore_errors = true) WHERE time IS NOT NULL)";
  }
}
