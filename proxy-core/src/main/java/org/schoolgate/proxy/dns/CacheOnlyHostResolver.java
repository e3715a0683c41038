package org.schoolgate.proxy.dns;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.littleshoot.proxy.HostResolver;

/**
 * The {@link HostResolver} given to LittleProxy. LittleProxy calls it on the event loop, so it
 * never looks anything up: it answers from {@link DnsService#peek} (literals, static hosts, the
 * cache the {@link DnsGate} warmed) and otherwise throws {@link UnknownHostException}, which
 * LittleProxy turns into a 502 that the filter replaces with the "could not find the site's
 * address" page.
 */
public final class CacheOnlyHostResolver implements HostResolver {
  private final DnsService dns;

  public CacheOnlyHostResolver(DnsService dns) {
    this.dns = dns;
  }

  @Override
  public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
    DnsAnswer answer = dns.peek(host);
    if (answer instanceof DnsAnswer.Resolved resolved) {
      return new InetSocketAddress(resolved.address(), port);
    }
    throw new UnknownHostException(answer instanceof DnsAnswer.Failed failed
        ? failed.reason()
        : host + " has not been resolved yet (no blocking lookups on the event loop)");
  }
}
