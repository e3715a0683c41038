package org.schoolgate.proxy.filter;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.HttpFiltersSource;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.pages.Pages;

/**
 * The {@link HttpFiltersSource} given to LittleProxy: one {@link DecisionFilter} per request.
 * Never buffers (both buffer sizes are 0), so bodies of any size stream through chunk by chunk.
 */
public final class SchoolgateFilters implements HttpFiltersSource {
  private final FilterServices services;

  /**
   * {@code interception}: the proxy can decrypt tunnels, so CONNECTs the policy selects are
   * answered by the proxy itself and handed to the interception path. {@code destinations}
   * checks the address of every connection made for a client.
   */
  public SchoolgateFilters(Supplier<PolicySnapshot> policy, DnsService dns, Pages pages,
      ProxyMetrics metrics, Clock clock, Duration connectTimeout, boolean interception,
      DestinationGuard destinations) {
    this.services = new FilterServices(new RequestDecider(policy, metrics, interception), dns,
        pages, metrics, clock, connectTimeout, destinations);
  }

  /** Decides requests inside intercepted tunnels with the same decider as these filters. */
  public InterceptedRequests interceptedRequests() {
    return new InterceptedRequests(services);
  }

  @Override
  public HttpFilters filterRequest(HttpRequest originalRequest, ChannelHandlerContext ctx) {
    ClientSession session = ctx == null ? null : ClientSession.of(ctx.channel());
    if (session == null) {
      return new Unattached(originalRequest, services);
    }
    return new DecisionFilter(originalRequest, ctx, services, session);
  }

  @Override
  public int getMaximumRequestBufferSizeInBytes() {
    return 0;
  }

  @Override
  public int getMaximumResponseBufferSizeInBytes() {
    return 0;
  }

  /** A channel Schoolgate did not set up (should not happen): refuse, fail closed. */
  private static final class Unattached extends HttpFiltersAdapter {
    private final FilterServices services;

    Unattached(HttpRequest request, FilterServices services) {
      super(request);
      this.services = services;
    }

    @Override
    public HttpResponse clientToProxyRequest(HttpObject httpObject) {
      services.metrics().failClosed();
      return services.pages().error(ErrorPage.NOT_A_CLIENT, false, false);
    }
  }
}
