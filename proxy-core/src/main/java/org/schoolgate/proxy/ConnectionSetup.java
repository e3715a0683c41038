package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.dns.DnsGate;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.MalformedRequestGuard;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.tls.TunnelInspector;

/**
 * Installs Schoolgate's per-connection handlers once LittleProxy has built a client pipeline,
 * just before its main handler ({@value #LITTLEPROXY_MAIN}):
 * <pre>
 *   flush-consolidation, ... decoder, monitors, idle → malformed-guard → exchange-recorder
 *   → close-after-response → dns-gate → tunnel-inspector → handler
 * </pre>
 * and attaches the {@link ClientSession}. Runs once per channel, then removes itself.
 */
@Sharable
final class ConnectionSetup extends ChannelInboundHandlerAdapter {
  static final String NAME = "schoolgate-setup";
  static final String LITTLEPROXY_MAIN = "handler";

  private final Pages pages;
  private final ProxyMetrics metrics;
  private final AccessLog accessLog;
  private final Clock clock;
  private final Supplier<PolicySnapshot> policy;
  private final Duration helloTimeout;
  private volatile Interceptor interceptor;
  private final ChannelGroup clients = new DefaultChannelGroup("schoolgate-clients",
      GlobalEventExecutor.INSTANCE);

  ConnectionSetup(Pages pages, ProxyMetrics metrics, AccessLog accessLog, Clock clock,
      Supplier<PolicySnapshot> policy, Duration helloTimeout) {
    this.policy = policy;
    this.helloTimeout = helloTimeout;
    this.pages = pages;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.clock = clock;
  }

  /** Hands tunnels the policy selects to {@code interceptor} (set before the server starts). */
  void interceptor(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  /** Open client connections (closed ones leave the group by themselves). */
  ChannelGroup clients() {
    return clients;
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    ChannelPipeline pipeline = ctx.pipeline();
    Channel channel = ctx.channel();
    if (pipeline.get(LITTLEPROXY_MAIN) != null
        && channel.remoteAddress() instanceof InetSocketAddress client) {
      Exchanges exchanges = new Exchanges(accessLog);
      DnsGate gate = new DnsGate();
      TunnelInspector inspector = new TunnelInspector(policy, metrics, clock, helloTimeout,
          interceptor, exchanges);
      ClientSession session = new ClientSession(client, exchanges, gate, inspector);
      session.attach(channel);
      pipeline.addBefore(LITTLEPROXY_MAIN, MalformedRequestGuard.NAME,
          new MalformedRequestGuard(pages, metrics, clock, session));
      pipeline.addBefore(LITTLEPROXY_MAIN, ExchangeRecorder.NAME, new ExchangeRecorder(exchanges));
      pipeline.addBefore(LITTLEPROXY_MAIN, CloseAfterResponse.NAME, new CloseAfterResponse());
      pipeline.addBefore(LITTLEPROXY_MAIN, DnsGate.NAME, gate);
      pipeline.addBefore(LITTLEPROXY_MAIN, TunnelInspector.NAME, inspector);
      clients.add(channel);
      metrics.connectionOpened();
      channel.closeFuture().addListener(f -> metrics.connectionClosed());
    }
    pipeline.remove(this);
    ctx.fireChannelRegistered();
  }
}
