package org.schoolgate.proxy.filter;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import org.schoolgate.proxy.dns.DnsGate;
import org.schoolgate.proxy.identity.IdentityCache;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.tls.TunnelInspector;

/**
 * Everything Schoolgate keeps about one client connection, attached to its channel: who the
 * client is, the requests in flight (for the access log), the DNS gate and the tunnel inspector. Confined to the
 * connection's event loop.
 */
public final class ClientSession {
  static final AttributeKey<ClientSession> KEY = AttributeKey.valueOf("schoolgate.session");

  final InetSocketAddress client;
  final String clientIp;
  final IdentityCache identity = new IdentityCache();
  final Exchanges exchanges;
  final DnsGate gate;
  final TunnelInspector inspector;
  /** A decided request waiting in the gate for its DNS answer. */
  Pending pending;

  public ClientSession(InetSocketAddress client, Exchanges exchanges, DnsGate gate,
      TunnelInspector inspector) {
    this.client = client;
    this.inspector = inspector;
    this.clientIp = client.getAddress().getHostAddress();
    this.exchanges = exchanges;
    this.gate = gate;
  }

  /** Attaches this session to {@code channel}. */
  public void attach(Channel channel) {
    channel.attr(KEY).set(this);
  }

  static ClientSession of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** A request held in the DNS gate, with what was decided for it. */
  record Pending(HttpRequest request, Verdict.Decided verdict, Exchange exchange) {}
}
