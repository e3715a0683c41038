package org.schoolgate.proxy.filter;

import java.time.Clock;
import java.time.Duration;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;

/** What every filter instance shares: built once per server. */
record FilterServices(RequestDecider decider, DnsService dns, Pages pages, ProxyMetrics metrics,
    Clock clock, Duration connectTimeout, DestinationGuard destinations) {}
