package org.schoolgate.resolver.wire;

import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * A question as the client sent it, name and letter case untouched. Netty's own question runs
 * every name through {@code java.net.IDN} (a fifth of the resolver's time under load); names on
 * the wire are already ASCII, so this one does not.
 */
record PlainQuestion(String name, DnsRecordType type, int dnsClass) implements DnsQuestion {
  @Override
  public long timeToLive() {
    return 0;
  }
}
