package org.schoolgate.resolver.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream answer as the cache keeps it: its response code and the records of its answer,
 * authority and additional sections (the upstream's OPT record left out: EDNS is per hop), with
 * the time it arrived and how long it may be served ({@link TtlBounds}). Immutable; holds no
 * Netty buffers. A client is told each record's own TTL, floored, and never more than the time
 * the answer has left in the cache ({@link #ttlFor}). The names the answer's CNAME and DNAME
 * records lead to ({@link #aliases}) and its A/AAAA records ({@link #addressRecords}) are picked
 * out once, when it arrives, so the per-client checks of every served copy read them as they are.
 */
public final class CachedAnswer {
  private static final int TYPE_OPT = 41;
  private final int rcode;
  private final List<Rr> answers;
  private final List<Rr> authorities;
  private final List<Rr> additionals;
  private final List<String> aliases;
  private final List<Rr> addressRecords;
  private final long arrivedAt;
  private final long lifetimeSeconds;
  private final long minSeconds;

  CachedAnswer(int rcode, List<Rr> answers, List<Rr> authorities, List<Rr> additionals, long arrivedAt,
      long lifetimeSeconds, long minSeconds) {
    this.rcode = rcode;
    this.answers = List.copyOf(answers);
    this.authorities = List.copyOf(authorities);
    this.additionals = List.copyOf(additionals);
    List<String> targets = new ArrayList<>();
    List<Rr> addresses = new ArrayList<>();
    for (Rr rr : this.answers) {
      if (rr.type() == Rr.TYPE_CNAME || rr.type() == Rr.TYPE_DNAME) {
        String target = WireNames.decode(rr.rdata());
        if (target != null && !target.isEmpty() && !targets.contains(target)) {
          targets.add(target);
        }
      } else if (rr.address()) {
        addresses.add(rr);
      }
    }
    for (Rr rr : this.additionals) {
      if (rr.address()) {
        addresses.add(rr);
      }
    }
    this.aliases = List.copyOf(targets);
    this.addressRecords = List.copyOf(addresses);
    this.arrivedAt = arrivedAt;
    this.lifetimeSeconds = lifetimeSeconds;
    this.minSeconds = minSeconds;
  }

  /**
   * Copies {@code response} (NOERROR or NXDOMAIN) that arrived at ticker time {@code now}.
   *
   * @throws io.netty.handler.codec.CorruptedFrameException when an SOA record's names cannot be read
   */
  static CachedAnswer copyOf(DnsResponse response, long now, TtlBounds ttl) {
    List<Rr> answers = section(response, DnsSection.ANSWER);
    List<Rr> authorities = section(response, DnsSection.AUTHORITY);
    List<Rr> additionals = section(response, DnsSection.ADDITIONAL);
    int rcode = response.code().intValue();
    long lifetime;
    if (rcode == DnsResponseCode.NOERROR.intValue() && !answers.isEmpty()) {
      long least = Long.MAX_VALUE;
      for (Rr rr : answers) {
        least = Math.min(least, rr.ttl());
      }
      lifetime = ttl.clamp(least);
    } else {
      lifetime = ttl.clamp(negativeTtl(authorities));
    }
    return new CachedAnswer(rcode, answers, authorities, additionals, now, lifetime, ttl.minSeconds());
  }

  private static long negativeTtl(List<Rr> authorities) {
    for (Rr rr : authorities) {
      if (rr.type() == Rr.TYPE_SOA && rr.rdata().length >= 4) {
        byte[] d = rr.rdata();
        int n = d.length;
        long minimum = (d[n - 4] & 0xffL) << 24 | (d[n - 3] & 0xffL) << 16 | (d[n - 2] & 0xffL) << 8 | (d[n - 1] & 0xffL);
        return Math.min(rr.ttl(), minimum);
      }
    }
    return TtlBounds.NEGATIVE_WITHOUT_SOA;
  }

  private static List<Rr> section(DnsResponse response, DnsSection section) {
    int count = response.count(section);
    List<Rr> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      DnsRecord r = response.recordAt(section, i);
      int type = r.type().intValue();
      if (type == TYPE_OPT) {
        continue;
      }
      byte[] rdata;
      if (r instanceof DnsPtrRecord ptr) {
        rdata = WireNames.encode(ptr.hostname());
      } else if (r instanceof DnsRawRecord raw) {
        ByteBuf c = raw.content();
        rdata = type == Rr.TYPE_SOA ? WireNames.soa(c, c.readerIndex(), c.writerIndex()) : bytes(c);
      } else {
        continue; // no other record kinds come from Netty's decoder
      }
      out.add(new Rr(r.name(), type, r.dnsClass(), r.timeToLive(), rdata));
    }
    return out;
  }

  private static byte[] bytes(ByteBuf c) {
    byte[] b = new byte[c.readableBytes()];
    c.getBytes(c.readerIndex(), b);
    return b;
  }

  public int rcode() {
    return rcode;
  }

  public List<Rr> answers() {
    return answers;
  }

  public List<Rr> authorities() {
    return authorities;
  }

  public List<Rr> additionals() {
    return additionals;
  }

  /**
   * The names the answer's CNAME (and DNAME) records point to, lower case without the trailing
   * dot, in the order they came, each once: every name in the chain after the one asked for.
   */
  public List<String> aliases() {
    return aliases;
  }

  /** The A and AAAA records of the answer and additional sections. */
  public List<Rr> addressRecords() {
    return addressRecords;
  }

  /** How long the cache may serve it, in seconds (0: not cached). */
  public long lifetimeSeconds() {
    return lifetimeSeconds;
  }

  /** Seconds it has left in the cache at ticker time {@code now}. */
  public long secondsLeft(long now) {
    long elapsed = Math.max(0, (now - arrivedAt) / 1_000_000_000L);
    return Math.max(0, lifetimeSeconds - elapsed);
  }

  /** The TTL to tell a client for {@code rr} at {@code now}: its own, floored, at most what is left. */
  public long ttlFor(Rr rr, long now) {
    return Math.min(Math.max(rr.ttl(), minSeconds), secondsLeft(now));
  }
}
