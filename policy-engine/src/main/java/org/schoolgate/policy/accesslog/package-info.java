/**
 * The access log's files, as one definition for the writer (proxy-core) and every reader (the
 * alert replay, the digest, the reports): one JSON-lines file per local day in the policy's time
 * zone, {@code access-YYYY-MM-DD.jsonl}, and the reports' Parquet copy of a finished day,
 * {@code access-YYYY-MM-DD.parquet}.
 */
package org.schoolgate.policy.accesslog;
