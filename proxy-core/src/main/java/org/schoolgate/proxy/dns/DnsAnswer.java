package org.schoolgate.proxy.dns;

import java.net.InetAddress;
import java.time.Duration;

/** What the resolver knows about one host name, and for how long it may be trusted. */
public sealed interface DnsAnswer permits DnsAnswer.Resolved, DnsAnswer.Failed {

  /** How long the answer is cached. */
  Duration ttl();

  /** The name has an address. */
  record Resolved(InetAddress address, Duration ttl) implements DnsAnswer {}

  /** The name could not be resolved (no such name, no address, timeout, server failure). */
  record Failed(String reason, Duration ttl) implements DnsAnswer {}
}
