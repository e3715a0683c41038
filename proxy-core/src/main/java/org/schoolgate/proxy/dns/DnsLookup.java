package org.schoolgate.proxy.dns;

import java.util.concurrent.CompletableFuture;

/**
 * Asks name servers about a host, without blocking the caller. The future always completes
 * normally: failures are {@link DnsAnswer.Failed} answers.
 */
public interface DnsLookup extends AutoCloseable {

  /** Looks up {@code host} (normalised, not an IP literal). */
  CompletableFuture<DnsAnswer> lookup(String host);

  @Override
  void close();
}
