package org.schoolgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.schoolgate.proxy.upstream.Upstream;

/**
 * The request's way up: what arrives while the connection is being made waits here (the first
 * body part to wait pauses reading, so at most one read's worth), goes out when an upstream connection is bound to the
 * exchange, and the rest of the body streams straight on. Back-pressure: when the upstream
 * connection cannot take more, the client is not read ({@link ReadPauses#UPSTREAM_FULL}) until
 * it can ({@link UpstreamRelay#upstreamWritabilityChanged}). Writes carry no promise; flushes
 * happen once per client read, at the end of the request, or when the channel fills up.
 */
final class RequestSender {
  private final FrontHandler front;
  private final Turn t;
  private final ArrayDeque<HttpObject> unsent = new ArrayDeque<>(2);

  RequestSender(FrontHandler front) {
    this.front = front;
    this.t = front.turn;
  }

  /** Holds {@code msg} until a connection is bound. */
  void hold(HttpObject msg) {
    unsent.add(msg);
  }

  /** Binds {@code u} to the exchange and sends what waited. */
  void bind(Upstream u) {
    t.up = u;
    u.attach(front.relay);
    Channel c = u.channel();
    HttpObject msg;
    while ((msg = unsent.poll()) != null) {
      c.write(msg, c.voidPromise());
    }
    if (!c.isWritable()) {
      front.pauses.pause(ReadPauses.UPSTREAM_FULL);
    }
    c.flush();
    if (c.isWritable()) {
      front.pauses.resume(ReadPauses.UPSTREAM_FULL);
    }
    front.pauses.resume(ReadPauses.WAITING);
  }

  /** A part of the request body. */
  void send(HttpContent c) {
    Upstream u = t.up;
    if (u == null) {
      unsent.add(c); // still dialling: no more is read until the connection is bound
      front.pauses.pause(ReadPauses.WAITING);
      return;
    }
    Channel ch = u.channel();
    ch.write(c, ch.voidPromise());
    if (!ch.isWritable()) {
      // pause before the flush, whose writability event resumes (UpstreamRelay)
      front.pauses.pause(ReadPauses.UPSTREAM_FULL);
      ch.flush();
      if (ch.isWritable()) {
        front.pauses.resume(ReadPauses.UPSTREAM_FULL);
      }
    } else if (c instanceof LastHttpContent) {
      ch.flush();
    }
  }

  /** The end of one client read: flush the body parts it carried. */
  void flushBody() {
    if (t.up != null && t.forwarding && !t.requestDone) {
      t.up.channel().flush();
    }
  }

  /** Drops (and releases) whatever waited to go up. */
  void drop() {
    HttpObject msg;
    while ((msg = unsent.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
