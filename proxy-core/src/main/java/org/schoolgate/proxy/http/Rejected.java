package org.schoolgate.proxy.http;

import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.ErrorPage;

/**
 * A request the proxy will not read: the {@link RequestGuard} passes this on in the request's
 * place, so the front handler answers it in turn (after the requests before it) with {@code page}
 * and closes the connection.
 *
 * @param page the page to answer with (400, 408, 414 or 431)
 * @param rejection the meter tag
 * @param detail what was wrong, for the access log
 */
record Rejected(ErrorPage page, Rejection rejection, String detail) {}
