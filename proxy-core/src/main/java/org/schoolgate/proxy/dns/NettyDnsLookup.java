package org.schoolgate.proxy.dns;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link DnsLookup} on Netty's asynchronous {@link DnsNameResolver}, running on one dedicated
 * event loop ({@code schoolgate-dns}). Asks for A records, then AAAA when a name has no IPv4
 * address; the answer's TTL is the smallest record TTL, clamped to {@link DnsSettings}. Reads the
 * hosts file only through the shared {@link HostsFile} (which {@link DnsService} consults first
 * anyway), never on its own. No cache here: {@link DnsService} caches.
 */
final class NettyDnsLookup implements DnsLookup {
  private final EventLoopGroup loop;
  private final DnsNameResolver resolver;
  private final DnsSettings settings;

  NettyDnsLookup(List<InetSocketAddress> servers, DnsSettings settings, HostsFile hosts) {
    this.settings = settings;
    this.loop = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("schoolgate-dns", true), NioIoHandler.newFactory());
    DnsServerAddressStreamProvider provider = servers.isEmpty()
        ? DnsServerAddressStreamProviders.platformDefault()
        : new SequentialDnsServerAddressStreamProvider(servers);
    this.resolver = new DnsNameResolverBuilder(loop.next())
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(provider)
        .resolveCache(NoopDnsCache.INSTANCE)
        .hostsFileEntriesResolver(hosts)
        .queryTimeoutMillis(settings.queryTimeout().toMillis())
        .build();
  }

  @Override
  public CompletableFuture<DnsAnswer> lookup(String host) {
    CompletableFuture<DnsAnswer> result = new CompletableFuture<>();
    if (host.indexOf('.') < 0) {
      searchDomains(host, result);
    } else {
      query(host, DnsRecordType.A, result);
    }
    return result;
  }

  /**
   * A single-label name ({@code http://intranet/}) goes through the resolver's host-name path,
   * which applies resolv.conf search domains; that path reports no TTL, so one minute is used.
   */
  private void searchDomains(String host, CompletableFuture<DnsAnswer> result) {
    resolver.resolveAll(host).addListener(f -> {
      @SuppressWarnings("unchecked")
      List<InetAddress> addresses = (List<InetAddress>) f.getNow();
      if (f.isSuccess() && addresses != null && !addresses.isEmpty()) {
        result.complete(new DnsAnswer.Resolved(addresses.get(0),
            settings.clamp(Duration.ofMinutes(1))));
      } else {
        result.complete(failed(host, f.cause()));
      }
    });
  }

  private void query(String host, DnsRecordType type, CompletableFuture<DnsAnswer> result) {
    resolver.resolveAll(new DefaultDnsQuestion(host, type)).addListener(f -> {
      if (!f.isSuccess()) {
        result.complete(failed(host, f.cause()));
        return;
      }
      @SuppressWarnings("unchecked")
      List<DnsRecord> records = (List<DnsRecord>) f.getNow();
      DnsAnswer answer = null;
      try {
        answer = toAnswer(host, type, records);
      } catch (UnknownHostException | RuntimeException e) {
        answer = failed(host, e);
      } finally {
        records.forEach(ReferenceCountUtil::release);
      }
      if (answer == null && type == DnsRecordType.A) {
        query(host, DnsRecordType.AAAA, result);
      } else {
        result.complete(answer != null ? answer
            : new DnsAnswer.Failed(host + " has no address", settings.negativeTtl()));
      }
    });
  }

  private DnsAnswer toAnswer(String host, DnsRecordType type, List<DnsRecord> records)
      throws UnknownHostException {
    InetAddress first = null;
    long ttl = Long.MAX_VALUE;
    int size = type == DnsRecordType.A ? 4 : 16;
    for (DnsRecord record : records) {
      if (record.type() == type && record instanceof DnsRawRecord raw
          && raw.content().readableBytes() == size) {
        byte[] bytes = new byte[size];
        raw.content().getBytes(raw.content().readerIndex(), bytes);
        if (first == null) {
          first = InetAddress.getByAddress(host, bytes);
        }
        ttl = Math.min(ttl, record.timeToLive());
      }
    }
    return first == null ? null : new DnsAnswer.Resolved(first, settings.clamp(Duration.ofSeconds(ttl)));
  }

  private DnsAnswer failed(String host, Throwable cause) {
    String why = cause == null ? "no answer" : cause.getMessage();
    return new DnsAnswer.Failed("could not resolve " + host + ": " + why, settings.negativeTtl());
  }

  @Override
  public void close() {
    resolver.close();
    loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
