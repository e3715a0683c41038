package org.schoolgate.proxy.dns;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.littleshoot.proxy.HostResolver;

/**
 * The {@link HostResolver} given to LittleProxy. Every request the filter lets through pins the
 * address its destination check passed ({@code proxyToServerResolutionStarted}), so LittleProxy
 * asks this resolver only when something went round the filter: it then refuses (fail closed:
 * an address nobody checked is never connected to) with {@link UnknownHostException}, which
 * LittleProxy turns into a 502 that the filter replaces with the "could not find the site's
 * address" page. It never looks anything up (LittleProxy calls it on the event loop).
 */
public final class CacheOnlyHostResolver implements HostResolver {
  private final DnsService dns;

  public CacheOnlyHostResolver(DnsService dns) {
    this.dns = dns;
  }

  @Override
  public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
    DnsAnswer answer = dns.peek(host);
    throw new UnknownHostException(answer instanceof DnsAnswer.Failed failed
        ? failed.reason()
        : host + ": no checked address was pinned for this connection, so it is refused"
            + " (only addresses the destination check passed are connected to)");
  }
}
