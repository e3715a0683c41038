package org.schoolgate.resolver.wire;

import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;

/** Our EDNS(0) OPT record (RFC 6891): the UDP size we accept, no options, no flags. */
final class OptRecord extends AbstractDnsOptPseudoRrRecord {
  OptRecord(int udpPayloadSize) {
    super(udpPayloadSize);
  }
}
