/**
 * What the access log's writer (proxy-core) and its readers (alerts: replay after a crash, the
 * weekly digest) must agree on: {@link org.schoolgate.policy.accesslog.AccessLogFiles}, the daily
 * file names.
 */
package org.schoolgate.policy.accesslog;
