package org.schoolgate.proxy.intercept;

import java.time.Duration;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.filter.InterceptedRequests;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;

/** What every intercepted connection shares: built once per server. */
record InterceptServices(LeafSource leaves, UpstreamTls tls, InterceptedRequests requests,
    DnsService dns, Pages pages, ProxyMetrics metrics, Duration connectTimeout) {}
