package org.schoolgate.resolver.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A DNS client for the tests, as a device on the school network is one: real datagrams and TCP
 * connections on loopback, from a chosen source address (127.0.0.2, 127.0.0.3, ... stand for
 * different devices), queries written byte by byte and answers read with Netty's response decoder.
 */
public final class DnsTestClient {
  public static final int A = 1;
  public static final int NS = 2;
  public static final int SOA = 6;
  public static final int TXT = 16;
  public static final int AAAA = 28;
  public static final int SVCB = 64;
  public static final int HTTPS = 65;
  public static final int ANY = 255;
  private static final int TIMEOUT_MS = 10_000;

  private final InetSocketAddress server;
  private final String from;

  /** A client at source address {@code from} (e.g. 127.0.0.2) asking {@code server}. */
  public DnsTestClient(InetSocketAddress server, String from) {
    this.server = server;
    this.from = from;
  }

  /** One record of an answer: owner, type, what it says, TTL. */
  public record Rec(String name, String type, String data, long ttl) {}

  /** A response, decoded. */
  public record Reply(int id, String rcode, boolean truncated, boolean recursionAvailable, List<Rec> answers,
      List<Rec> authority, List<Rec> additional) {
    /** The answer records' data, e.g. {@code ["A 192.0.2.7"]}. */
    public List<String> data() {
      return answers.stream().map(r -> r.type() + " " + r.data()).toList();
    }
  }

  /** Asks over UDP with EDNS (UDP size 1232). */
  public Reply udp(String name, int type) throws IOException {
    return decode(exchangeUdp(query(ThreadLocalRandom.current().nextInt(65536), name, type, true)));
  }

  /** Asks over UDP without EDNS (512 bytes at most in the answer). */
  public Reply udpWithoutEdns(String name, int type) throws IOException {
    return decode(exchangeUdp(query(ThreadLocalRandom.current().nextInt(65536), name, type, false)));
  }

  /** Asks over TCP (a new connection). */
  public Reply tcp(String name, int type) throws IOException {
    return decode(exchangeTcp(query(ThreadLocalRandom.current().nextInt(65536), name, type, true)));
  }

  /** Asks over UDP and, when the answer comes back truncated, again over TCP, as stub resolvers do. */
  public Reply resolve(String name, int type) throws IOException {
    Reply r = udp(name, type);
    return r.truncated() ? tcp(name, type) : r;
  }

  /** Sends {@code bytes} as one datagram and returns the reply's bytes. */
  public byte[] exchangeUdp(byte[] bytes) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.send(new java.net.DatagramPacket(bytes, bytes.length, server));
      byte[] buf = new byte[65_535];
      java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
      socket.receive(in);
      return java.util.Arrays.copyOf(buf, in.getLength());
    }
  }

  /** Sends {@code bytes} as one datagram, expecting nothing back. */
  public void sendUdp(byte[] bytes) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
      socket.send(new java.net.DatagramPacket(bytes, bytes.length, server));
    }
  }

  /** Sends {@code bytes} as one length-prefixed TCP message and returns the reply's bytes. */
  public byte[] exchangeTcp(byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(server, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(bytes.length);
      out.write(bytes);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return reply;
    }
  }

  /** A query: header (RD set), one question of class IN, and an OPT record when {@code edns}. */
  public static byte[] query(int id, String name, int type, boolean edns) {
    ByteBuffer b = ByteBuffer.allocate(512);
    b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0)
        .putShort((short) (edns ? 1 : 0));
    for (String label : name.split("\\.")) {
      if (!label.isEmpty()) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        b.put((byte) l.length).put(l);
      }
    }
    b.put((byte) 0).putShort((short) type).putShort((short) 1);
    if (edns) {
      b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) 0);
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** Reads a response's bytes with Netty's decoder. */
  public static Reply decode(byte[] bytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
    try {
      InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);
      ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), any, any));
      DnsResponse r = ch.readInbound();
      try {
        return new Reply(r.id(), rcode(r.code().intValue()), r.isTruncated(), r.isRecursionAvailable(),
            records(r, DnsSection.ANSWER), records(r, DnsSection.AUTHORITY), records(r, DnsSection.ADDITIONAL));
      } finally {
        r.release();
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static String wireName(byte[] b) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < b.length && b[i] != 0; i += 1 + b[i]) {
      out.append(new String(b, i + 1, b[i], java.nio.charset.StandardCharsets.US_ASCII)).append('.');
    }
    return out.toString();
  }

  private static List<Rec> records(DnsResponse r, DnsSection section) {
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < r.count(section); i++) {
      DnsRecord rec = r.recordAt(section, i);
      String type = rec.type().name();
      String data = "";
      if (rec instanceof DnsRawRecord raw) {
        ByteBuf c = raw.content();
        byte[] b = new byte[c.readableBytes()];
        c.getBytes(c.readerIndex(), b);
        data = switch (type) {
          case "A", "AAAA" -> address(b);
          case "SOA" -> soa(b);
          case "OPT" -> "udp=" + rec.dnsClass();
          case "CNAME" -> wireName(b);
          default -> b.length + " bytes";
        };
      }
      out.add(new Rec(rec.name(), type, data, rec.timeToLive()));
    }
    return out;
  }

  private static String address(byte[] b) {
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "bad address";
    }
  }

  /** {@code mname rname minimum}, names read without compression (our resolver writes none). */
  private static String soa(byte[] b) {
    int[] at = {0};
    String mname = name(b, at);
    String rname = name(b, at);
    ByteBuffer rest = ByteBuffer.wrap(b, at[0], b.length - at[0]);
    rest.getInt();
    rest.getInt();
    rest.getInt();
    rest.getInt();
    return mname + " " + rname + " " + Integer.toUnsignedLong(rest.getInt());
  }

  private static String name(byte[] b, int[] at) {
    StringBuilder s = new StringBuilder();
    while (true) {
      int len = b[at[0]] & 0xff;
      if ((len & 0xC0) != 0) {
        throw new AssertionError("a compressed name in RDATA at " + at[0]);
      }
      at[0]++;
      if (len == 0) {
        return s.length() == 0 ? "." : s.toString();
      }
      s.append(new String(b, at[0], len, StandardCharsets.US_ASCII)).append('.');
      at[0] += len;
    }
  }

  static String rcode(int code) {
    return switch (code) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      default -> "RCODE" + code;
    };
  }
}
