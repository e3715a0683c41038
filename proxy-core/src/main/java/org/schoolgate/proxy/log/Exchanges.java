package org.schoolgate.proxy.log;

import java.util.ArrayDeque;

/**
 * The requests in flight on one client connection, oldest first (HTTP/1.1 answers in order, so
 * the oldest is the one being answered). Confined to the connection's event loop.
 */
public final class Exchanges {
  private final ArrayDeque<Exchange> inFlight = new ArrayDeque<>(2);
  private final AccessLog log;

  public Exchanges(AccessLog log) {
    this.log = log;
  }

  /** A new request was read. */
  public void begin(Exchange exchange) {
    inFlight.addLast(exchange);
  }

  /** The request being answered, or null. */
  public Exchange answering() {
    return inFlight.peekFirst();
  }

  /** The request read last (its body is arriving), or null. */
  public Exchange reading() {
    return inFlight.peekLast();
  }

  /** The oldest request's response is complete: log it. */
  public void completeAnswering() {
    Exchange done = inFlight.pollFirst();
    if (done != null) {
      log.offer(done.toEvent(System.nanoTime()));
    }
  }

  /** The connection closed: log whatever was in flight (tunnels end here). */
  public void completeAll() {
    long now = System.nanoTime();
    Exchange done;
    while ((done = inFlight.pollFirst()) != null) {
      log.offer(done.toEvent(now));
    }
  }

  /** Logs an exchange answered on the spot (malformed request), outside the queue. */
  public void logNow(Exchange exchange) {
    log.offer(exchange.toEvent(System.nanoTime()));
  }
}
