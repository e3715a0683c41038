package org.schoolgate.resolver.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * A record to send: owner name (absolute, as it came from the wire or the client), type, class,
 * TTL and RDATA. Like {@link PlainQuestion}, it skips the {@code java.net.IDN} pass Netty's
 * {@code DefaultDnsRawRecord} makes on every name.
 */
final class PlainRawRecord extends DefaultByteBufHolder implements DnsRawRecord {
  private final String name;
  private final DnsRecordType type;
  private final int dnsClass;
  private final long ttl;

  PlainRawRecord(String name, DnsRecordType type, int dnsClass, long ttl, ByteBuf rdata) {
    super(rdata);
    this.name = name;
    this.type = type;
    this.dnsClass = dnsClass;
    this.ttl = ttl;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DnsRecordType type() {
    return type;
  }

  @Override
  public int dnsClass() {
    return dnsClass;
  }

  @Override
  public long timeToLive() {
    return ttl;
  }

  @Override
  public DnsRawRecord copy() {
    return replace(content().copy());
  }

  @Override
  public DnsRawRecord duplicate() {
    return replace(content().duplicate());
  }

  @Override
  public DnsRawRecord retainedDuplicate() {
    return replace(content().retainedDuplicate());
  }

  @Override
  public DnsRawRecord replace(ByteBuf content) {
    return new PlainRawRecord(name, type, dnsClass, ttl, content);
  }

  @Override
  public DnsRawRecord retain() {
    super.retain();
    return this;
  }

  @Override
  public DnsRawRecord retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public DnsRawRecord touch() {
    super.touch();
    return this;
  }

  @Override
  public DnsRawRecord touch(Object hint) {
    super.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return name + " " + type.name() + " " + ttl + " (" + content().readableBytes() + " bytes)";
  }
}
