package org.schoolgate.proxy.log;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Watches what a client connection really sends and receives, to complete access events: the
 * status written, body bytes each way (raw bytes once tunnelling), and the end of each response.
 *
 * <p>Sits right after the client's HTTP codec and guard (and stays when the connection becomes a
 * tunnel), so it sees decoded HTTP objects, or raw bytes in a tunnel. A response ends at its
 * {@link LastHttpContent}; an interim 1xx response does not end the exchange; a CONNECT answered
 * 2xx (or a 101 upgrade) becomes a tunnel that ends when the connection closes.
 */
public final class ExchangeRecorder extends ChannelDuplexHandler {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-exchange-recorder";

  private final Exchanges exchanges;
  private boolean interim;

  public ExchangeRecorder(Exchanges exchanges) {
    this.exchanges = exchanges;
  }

  /** The connection's requests in flight. */
  public Exchanges exchanges() {
    return exchanges;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange e = exchanges.reading();
    if (e != null) {
      if (msg instanceof HttpContent content) {
        e.bytesIn += content.content().readableBytes();
      } else if (msg instanceof ByteBuf buf) {
        e.bytesIn += buf.readableBytes();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    Exchange e = exchanges.answering();
    if (e != null) {
      record(e, msg);
    }
    ctx.write(msg, promise);
  }

  private void record(Exchange e, Object msg) {
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      interim = code >= 100 && code < 200 && code != 101;
      if (!interim) {
        e.status = code;
        e.tunnel = code == 101 || (e.connect && code >= 200 && code < 300);
      }
    }
    if (msg instanceof HttpContent content) {
      e.bytesOut += content.content().readableBytes();
      if (msg instanceof LastHttpContent) {
        if (interim) {
          interim = false;
        } else if (!e.tunnel) {
          exchanges.completeAnswering();
        }
      }
    } else if (msg instanceof ByteBuf buf) {
      e.bytesOut += buf.readableBytes();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    exchanges.completeAll();
    ctx.fireChannelInactive();
  }
}
