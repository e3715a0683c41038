package org.schoolgate.resolver.wire;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.schoolgate.resolver.BlockAnswer;
import org.schoolgate.resolver.upstream.CachedAnswer;
import org.schoolgate.resolver.upstream.Rr;

/**
 * Builds the responses the resolver sends. Every response echoes the query's id, opcode, RD bit
 * and question exactly as asked (letter case included), says recursion is available, and carries
 * our OPT record when the query had one.
 */
public final class Replies {
  /** The UDP size we accept and offer (the 2020 DNS flag day's 1232: no IP fragmentation). */
  public static final int UDP_PAYLOAD = 1232;
  /** The UDP size of a client without EDNS (RFC 1035). */
  static final int CLASSIC_UDP = 512;
  private static final int TYPE_OPT = 41;
  private static final int CLASS_IN = 1;
  /** The made-up zone our negative answers' SOA names (RFC 6761 reserves .invalid). */
  private static final byte[] SOA_NAMES = concat(wire("schoolgate.invalid"), wire("hostmaster.schoolgate.invalid"));

  private Replies() {}

  /**
   * What a query's reply needs, copied before Netty releases the query.
   *
   * @param client the client's address (where a UDP reply goes)
   * @param local the address the query arrived at
   * @param maxSize the most bytes the client accepts (65535 over TCP)
   * @param edns whether the query carried an OPT record
   */
  public record Asked(InetSocketAddress client, InetSocketAddress local, int id, DnsOpCode opCode,
      boolean recursionDesired, DnsQuestion question, int maxSize, boolean edns) {

    /** The reply needs of {@code query}, received over UDP ({@code udp}) or TCP. */
    public static Asked of(DatagramDnsQuery query, boolean udp) {
      int payload = -1;
      for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
        DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
        if (r.type().intValue() == TYPE_OPT) {
          payload = r.dnsClass();
        }
      }
      boolean edns = payload >= 0;
      int max = !udp ? TcpFrames.MAX_MESSAGE
          : edns ? Math.max(CLASSIC_UDP, Math.min(payload, UDP_PAYLOAD)) : CLASSIC_UDP;
      DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
      return new Asked(query.sender(), query.recipient(), query.id(), query.opCode(), query.isRecursionDesired(),
          question, max, edns);
    }
  }

  /** A response built from a cached answer, and how many HTTPS/SVCB records it left out. */
  public record Served(UdpResponse response, int stripped) {}

  /** An empty response with {@code code}: REFUSED, SERVFAIL, NOTIMP, FORMERR, NXDOMAIN, NOERROR. */
  public static UdpResponse empty(Asked a, DnsResponseCode code) {
    UdpResponse r = new UdpResponse(a.local(), a.client(), a.id(), a.opCode(), code, a.maxSize(), a.edns());
    r.setRecursionDesired(a.recursionDesired());
    r.setRecursionAvailable(true);
    if (a.question() != null) {
      r.addRecord(DnsSection.QUESTION, a.question());
    }
    if (a.edns()) {
      r.addRecord(DnsSection.ADDITIONAL, new OptRecord(UDP_PAYLOAD));
    }
    return r;
  }

  /** FORMERR for a query Netty could not decode (no question: we could not read one). */
  public static UdpResponse formErr(BadQuery bad) {
    UdpResponse r = new UdpResponse(bad.recipient(), bad.sender(), bad.id(), DnsOpCode.valueOf(bad.opcode()),
        DnsResponseCode.FORMERR, CLASSIC_UDP, false);
    r.setRecursionAvailable(true);
    return r;
  }

  /** The block-page address: one A or AAAA record for the name asked, with {@code ttl} seconds. */
  public static UdpResponse blockAddress(Asked a, BlockAnswer.Address address, long ttl) {
    UdpResponse r = empty(a, DnsResponseCode.NOERROR);
    boolean six = a.question().type().intValue() == 28;
    byte[] ip = (six ? address.ipv6() : address.ipv4()).getAddress();
    r.addRecord(DnsSection.ANSWER, new PlainRawRecord(a.question().name(),
        six ? DnsRecordType.AAAA : DnsRecordType.A, CLASS_IN, ttl, Unpooled.wrappedBuffer(ip)));
    return r;
  }

  /**
   * A negative answer we make up (NXDOMAIN, or NOERROR without records: NODATA) with an SOA
   * record in the authority section whose minimum is {@code ttl}, so stub resolvers cache it that
   * long (RFC 2308) instead of asking again at once.
   */
  public static UdpResponse negative(Asked a, DnsResponseCode code, long ttl) {
    UdpResponse r = empty(a, code);
    ByteBuffer soa = ByteBuffer.allocate(SOA_NAMES.length + 20);
    soa.put(SOA_NAMES).putInt(1).putInt(3600).putInt(600).putInt(86_400).putInt((int) ttl);
    r.addRecord(DnsSection.AUTHORITY, new PlainRawRecord(a.question().name(), DnsRecordType.SOA, CLASS_IN, ttl,
        Unpooled.wrappedBuffer(soa.array())));
    return r;
  }

  /**
   * The upstream's answer from the cache at ticker time {@code now}, each TTL as
   * {@link CachedAnswer#ttlFor} says; HTTPS and SVCB records left out when
   * {@code withholdServiceBindings}.
   */
  public static Served fromAnswer(Asked a, CachedAnswer answer, long now, boolean withholdServiceBindings) {
    UdpResponse r = empty(a, DnsResponseCode.valueOf(answer.rcode()));
    int stripped = add(r, DnsSection.ANSWER, answer.answers(), answer, now, withholdServiceBindings)
        + add(r, DnsSection.AUTHORITY, answer.authorities(), answer, now, withholdServiceBindings)
        + add(r, DnsSection.ADDITIONAL, answer.additionals(), answer, now, withholdServiceBindings);
    return new Served(r, stripped);
  }

  private static int add(UdpResponse r, DnsSection section, List<Rr> records, CachedAnswer answer, long now,
      boolean withhold) {
    int stripped = 0;
    for (Rr rr : records) {
      if (withhold && rr.serviceBinding()) {
        stripped++;
        continue;
      }
      r.addRecord(section, new PlainRawRecord(rr.name(), DnsRecordType.valueOf(rr.type()),
          rr.dnsClass(), answer.ttlFor(rr, now), Unpooled.wrappedBuffer(rr.rdata())));
    }
    return stripped;
  }

  private static byte[] wire(String name) {
    ByteBuffer b = ByteBuffer.allocate(name.length() + 2);
    for (String label : name.split("\\.")) {
      b.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    b.put((byte) 0);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = java.util.Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
