package org.schoolgate.resolver.upstream;

/**
 * One resource record of an upstream answer, copied out of Netty's buffers so a cached answer
 * holds no reference-counted memory: its owner name (absolute, with the trailing dot), type,
 * class, TTL as received, and RDATA with every domain name in it written out in full (no
 * compression pointers into a message that no longer exists).
 */
public record Rr(String name, int type, int dnsClass, long ttl, byte[] rdata) {
  public static final int TYPE_A = 1;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_SOA = 6;
  public static final int TYPE_DNAME = 39;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SVCB = 64;
  public static final int TYPE_HTTPS = 65;

  /** True for HTTPS and SVCB records (service bindings: ALPN, address hints, ECH keys). */
  public boolean serviceBinding() {
    return type == TYPE_SVCB || type == TYPE_HTTPS;
  }

  /** True for an A record of 4 bytes or an AAAA record of 16: an address a client may connect to. */
  public boolean address() {
    return type == TYPE_A && rdata.length == 4 || type == TYPE_AAAA && rdata.length == 16;
  }
}
