package org.schoolgate.proxy.http;

import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.filter.Decisions;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.tunnel.Tunnels;
import org.schoolgate.proxy.upstream.Upstreams;

/**
 * What every front handler shares, built once per server.
 *
 * @param drain set when the proxy stops: connections close after their current exchange
 * @param analysis where content analysis goes when a loop cannot keep up
 */
public record FrontServices(Decisions decisions, DnsService dns, Upstreams upstreams,
    Tunnels tunnels, Pages pages, ProxyMetrics metrics, Drain drain,
    org.schoolgate.proxy.content.AnalysisExecutor analysis) {

  /** Content analysis always on the loop ({@code AnalysisExecutor.INLINE}). */
  public FrontServices(Decisions decisions, DnsService dns, Upstreams upstreams, Tunnels tunnels, Pages pages,
      ProxyMetrics metrics, Drain drain) {
    this(decisions, dns, upstreams, tunnels, pages, metrics, drain,
        org.schoolgate.proxy.content.AnalysisExecutor.INLINE);
  }

  /** The proxy is stopping: finish what is in flight, start nothing new. */
  public static final class Drain {
    private volatile boolean draining;

    public void start() {
      draining = true;
    }

    public boolean draining() {
      return draining;
    }
  }
}
