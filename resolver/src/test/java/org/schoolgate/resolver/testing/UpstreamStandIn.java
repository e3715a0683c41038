package org.schoolgate.resolver.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the school's upstream resolver, on 127.0.0.1 UDP and TCP (one port): answers
 * the records it is given per name and type, NXDOMAIN with an SOA record (names compressed, as
 * real servers write them) for names it does not know, truncates UDP answers longer than the
 * asker's EDNS size (512 without EDNS) as real servers do, and records every question with its
 * transport. {@link #silent} makes it drop everything (an upstream that is down); {@link #hold}
 * keeps the answers to one name back until {@link #release} (questions in flight).
 */
public final class UpstreamStandIn implements AutoCloseable {
  private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
  private final List<String> questions = new CopyOnWriteArrayList<>();
  private final Map<String, List<Runnable>> held = new ConcurrentHashMap<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel udp;
  private final Channel tcp;
  private volatile boolean silent;
  private volatile DnsResponseCode failWith;

  /** One record to answer with: type, TTL, RDATA; in the answer or the additional section. */
  record Record(DnsRecordType type, long ttl, byte[] rdata, boolean additional) {}

  public UpstreamStandIn() throws InterruptedException {
    Bootstrap udpBootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answerer(true));
          }
        });
    ServerBootstrap tcpBootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(io.netty.channel.ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new Answerer(false));
          }
        });
    // UDP picks a free port; TCP takes the same one, unless another socket holds it: then try again
    for (int attempt = 1; ; attempt++) {
      Channel u = udpBootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
      int port = ((InetSocketAddress) u.localAddress()).getPort();
      io.netty.channel.ChannelFuture t = tcpBootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
          .await();
      if (t.isSuccess()) {
        udp = u;
        tcp = t.channel();
        return;
      }
      u.close().sync();
      if (attempt == 20) {
        throw new IllegalStateException("no port free on both UDP and TCP", t.cause());
      }
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) udp.localAddress();
  }

  /** {@code name} has an A (IPv4) or AAAA (IPv6) record {@code ip} with {@code ttl}. */
  public UpstreamStandIn address(String name, String ip, long ttl) {
    try {
      byte[] bytes = InetAddress.getByName(ip).getAddress();
      return add(name, new Record(bytes.length == 4 ? DnsRecordType.A : DnsRecordType.AAAA, ttl, bytes, false));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  /**
   * {@code name} is an alias of {@code target}: every question for {@code name} is answered with
   * the CNAME record and then {@code target}'s records of the type asked for (as a recursive
   * resolver follows the chain), owned by {@code target}.
   */
  public UpstreamStandIn cname(String name, String target) {
    return add(name, new Record(DnsRecordType.CNAME, 300, wireName(target), false));
  }

  private static byte[] wireName(String name) {
    ByteBuf b = Unpooled.buffer();
    for (String label : key(name).split("\\.")) {
      b.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    b.writeByte(0);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  /** {@code name} has an HTTPS record (priority 1, target ".", alpn h2, and an "ech" parameter). */
  public UpstreamStandIn https(String name) {
    return add(name, new Record(DnsRecordType.HTTPS, 300, httpsRdata(), false));
  }

  /** Answers for {@code name}'s A query also carry an HTTPS record in the additional section. */
  public UpstreamStandIn httpsInAdditional(String name) {
    return add(name, new Record(DnsRecordType.HTTPS, 300, httpsRdata(), true));
  }

  /** {@code name} has {@code count} TXT records of 250 bytes: an answer too large for UDP. */
  public UpstreamStandIn bigTxt(String name, int count) {
    for (int i = 0; i < count; i++) {
      byte[] rdata = new byte[251];
      rdata[0] = (byte) 250;
      java.util.Arrays.fill(rdata, 1, 251, (byte) ('a' + i % 26));
      add(name, new Record(DnsRecordType.TXT, 300, rdata, false));
    }
    return this;
  }

  private UpstreamStandIn add(String name, Record r) {
    records.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(r);
    return this;
  }

  /** Drops every question unanswered (true), or answers again (false). */
  public UpstreamStandIn silent(boolean drop) {
    this.silent = drop;
    return this;
  }

  /** Answers every question with {@code code} and nothing else (null: answer normally). */
  public UpstreamStandIn failWith(DnsResponseCode code) {
    this.failWith = code;
    return this;
  }

  /** Keeps answers to {@code name} back until {@link #release}. */
  public UpstreamStandIn hold(String name) {
    held.put(key(name), new CopyOnWriteArrayList<>());
    return this;
  }

  /** Sends the answers held back for {@code name}, and answers it at once from now on. */
  public void release(String name) {
    List<Runnable> waiting = held.remove(key(name));
    if (waiting != null) {
      group.next().execute(() -> waiting.forEach(Runnable::run));
    }
  }

  /** Every question so far, e.g. {@code "udp www.example.test A"}. */
  public List<String> questions() {
    return List.copyOf(questions);
  }

  /** How many times {@code name} was asked (any type, any transport). */
  public long asked(String name) {
    String k = key(name);
    return questions.stream().filter(q -> q.split(" ")[1].equals(k)).count();
  }

  private static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  @ChannelHandler.Sharable
  private final class Answerer extends SimpleChannelInboundHandler<DnsQuery> {
    private final boolean overUdp;

    Answerer(boolean overUdp) {
      this.overUdp = overUdp;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      String name = key(q.name());
      questions.add((overUdp ? "udp " : "tcp ") + name + " " + q.type().name());
      if (silent) {
        return;
      }
      int limit = 512;
      for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
        if (query.recordAt(DnsSection.ADDITIONAL, i).type() == DnsRecordType.OPT) {
          limit = Math.min(1232, query.recordAt(DnsSection.ADDITIONAL, i).dnsClass());
        }
      }
      DnsResponse response = answer(query, q, name, overUdp ? limit : Integer.MAX_VALUE);
      List<Runnable> hold = held.get(name);
      if (hold != null) {
        hold.add(() -> ctx.writeAndFlush(response));
      } else {
        ctx.writeAndFlush(response);
      }
    }
  }

  private DnsResponse answer(DnsQuery query, DnsQuestion q, String name, int limit) {
    DnsResponse r = query instanceof DatagramDnsQuery dq
        ? new DatagramDnsResponse(dq.recipient(), dq.sender(), query.id())
        : new DefaultDnsResponse(query.id());
    r.setRecursionAvailable(true);
    r.setRecursionDesired(query.isRecursionDesired());
    r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
    if (failWith != null) {
      r.setCode(failWith);
      return r;
    }
    List<Record> known = records.get(name);
    if (known == null) {
      r.setCode(DnsResponseCode.NXDOMAIN);
      r.addRecord(DnsSection.AUTHORITY, new DefaultDnsRawRecord(q.name(), DnsRecordType.SOA, 900,
          Unpooled.wrappedBuffer(compressedSoa(45))));
      return r;
    }
    List<Record> answers = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    int size = 12 + name.length() + 6;
    String owner = q.name();
    for (int hop = 0; known != null && hop < 8; hop++) {
      Record alias = null;
      for (Record rec : known) {
        boolean wanted = rec.type().equals(q.type()) || rec.additional() && q.type() == DnsRecordType.A;
        if (rec.type() == DnsRecordType.CNAME && q.type() != DnsRecordType.CNAME) {
          alias = rec;
          wanted = true;
        }
        if (wanted) {
          answers.add(rec);
          owners.add(owner);
          size += owner.length() + 2 + 10 + rec.rdata().length;
        }
      }
      if (alias == null) {
        break;
      }
      owner = decodeName(alias.rdata()) + ".";
      known = records.get(key(owner));
    }
    if (size > limit) {
      r.setTruncated(true);
      return r;
    }
    for (int i = 0; i < answers.size(); i++) {
      Record rec = answers.get(i);
      r.addRecord(rec.additional() ? DnsSection.ADDITIONAL : DnsSection.ANSWER,
          new DefaultDnsRawRecord(owners.get(i), rec.type(), rec.ttl(), Unpooled.wrappedBuffer(rec.rdata())));
    }
    return r;
  }

  private static String decodeName(byte[] wire) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; wire[i] != 0; i += 1 + wire[i]) {
      out.append(out.length() == 0 ? "" : ".").append(new String(wire, i + 1, wire[i], StandardCharsets.US_ASCII));
    }
    return out.toString();
  }

  /**
   * SOA RDATA whose names point at the question's name at offset 12 of the message (0xC00C), as
   * a real server compresses them: ns1.&lt;name&gt; and hostmaster.&lt;name&gt;, minimum {@code minimum}.
   */
  static byte[] compressedSoa(int minimum) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(3).writeBytes("ns1".getBytes(StandardCharsets.US_ASCII)).writeShort(0xC00C);
    b.writeByte(10).writeBytes("hostmaster".getBytes(StandardCharsets.US_ASCII)).writeShort(0xC00C);
    b.writeInt(2026).writeInt(3600).writeInt(600).writeInt(86400).writeInt(minimum);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static byte[] httpsRdata() {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(1).writeByte(0); // priority 1, target "."
    b.writeShort(1).writeShort(3).writeByte(2).writeBytes("h2".getBytes(StandardCharsets.US_ASCII)); // alpn=h2
    b.writeShort(5).writeShort(4).writeInt(0xFE0D0001); // ech=<4 bytes>
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  @Override
  public void close() {
    udp.close().awaitUninterruptibly();
    tcp.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
