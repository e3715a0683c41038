/**
 * What the access log's writer (proxy-core) and its readers (alerts: replay after a crash, the
 * weekly digest, the reports) must agree on: {@link org.schoolgate.policy.accesslog.AccessLogFiles}, the daily
 * file names, and {@link org.schoolgate.policy.accesslog.OwnerOnly}, the files' owner-only permissions.
 */
package org.schoolgate.policy.accesslog;
