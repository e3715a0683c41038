package org.schoolgate.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tiny authoritative DNS server on UDP 127.0.0.1:0: answers A queries for the names it is
 * given, NXDOMAIN for everything else, and records every question it was asked.
 */
public final class TestDnsServer implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final List<String> questions = new CopyOnWriteArrayList<>();
  private EventLoopGroup group;
  private Channel channel;

  public TestDnsServer answer(String name, String ip) {
    try {
      names.put(name.toLowerCase() + ".", InetAddress.getByName(ip));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new Answerer());
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      String name = question.name().toLowerCase();
      questions.add(name + " " + question.type().name());
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, question.type()));
      InetAddress address = names.get(name);
      if (address == null) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else if (question.type() == DnsRecordType.A) {
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(name, DnsRecordType.A, 60,
            Unpooled.wrappedBuffer(address.getAddress())));
      }
      response.setAuthoritativeAnswer(true);
      ctx.writeAndFlush(response);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Every question asked so far, e.g. {@code "cold.test. A"}. */
  public List<String> questions() {
    return List.copyOf(questions);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
