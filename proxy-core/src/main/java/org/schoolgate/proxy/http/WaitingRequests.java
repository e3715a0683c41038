package org.schoolgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Requests that arrive while an exchange is in progress (pipelined, or read with the end of the
 * one before), each with its body, in arrival order: they wait here and the client is not read
 * meanwhile ({@link ReadPauses#PIPELINED}), so answers leave in request order whatever each
 * one's outcome, and the proxy never holds more than one read's worth. The body of a request
 * whose identification is still pending waits here too, and follows it once it is decided. When an exchange ends,
 * the front serves what waits, as far as it can.
 */
final class WaitingRequests {
  private final FrontHandler front;
  private final Channel client;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private boolean serving;

  WaitingRequests(FrontHandler front, Channel client) {
    this.front = front;
    this.client = client;
  }

  static boolean starts(Object msg) {
    return msg instanceof HttpRequest || msg instanceof Rejected;
  }

  /** True when {@code msg} has to wait its turn (it is then held, and reading paused). */
  boolean holds(Object msg) {
    if (starts(msg) ? front.turn.busy || !waiting.isEmpty()
        : !waiting.isEmpty() || front.turn.identifying) {
      waiting.add(msg);
      front.pauses.pause(ReadPauses.PIPELINED);
      return true;
    }
    return false;
  }

  /**
   * Serves what waits: requests in order, each with its body, as far as it can. Body parts it
   * passes on are flushed upstream here, as at the end of a client read (no read may follow soon:
   * the same bytes arriving in other pieces must reach the origin alike).
   */
  void next() {
    if (serving) {
      return; // an answer given while serving the queue: the loop below goes on
    }
    serving = true;
    boolean body = false;
    try {
      while (!waiting.isEmpty() && client.isActive()) {
        Object msg = waiting.peek();
        boolean starts = starts(msg);
        Turn t = front.turn;
        if (msg instanceof Rejected && t.busy && !t.requestDone && !t.identifying) {
          front.bodyBroke(); // it waited behind the body it cut short (identification pending)
        }
        if (starts ? t.busy : t.identifying) {
          break;
        }
        waiting.poll();
        if (starts) {
          front.begin(msg);
        } else {
          front.content(msg);
          body = true;
        }
      }
    } finally {
      serving = false;
    }
    if (body) {
      front.sender.flushBody();
    }
    if (waiting.isEmpty()) {
      front.pauses.resume(ReadPauses.PIPELINED);
    }
  }

  /** The connection closed: what waited is released. */
  void drop() {
    Object msg;
    while ((msg = waiting.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
