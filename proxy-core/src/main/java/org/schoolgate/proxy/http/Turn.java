package org.schoolgate.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.schoolgate.proxy.upstream.Upstream;

/**
 * The exchange in progress on one client connection: the state the front's parts share ({@link
 * FrontHandler} orders the exchanges, {@link Dialer} resolves, checks and connects, {@link
 * RequestSender} and {@link UpstreamRelay} move the request up and the response down, {@link
 * Answers} writes the proxy's own answers). One per connection, reset when an exchange begins;
 * confined to the connection's event loop, so plain fields and no allocation per exchange.
 */
final class Turn {
  /** Bumped when an exchange begins and when the connection closes: late answers are dropped. */
  int generation;
  /** An exchange is in progress: a request arriving now waits its turn. */
  boolean busy;
  /** The request waits for its identification (body parts wait in {@code WaitingRequests}). */
  boolean identifying;
  /** The request goes to an origin. */
  boolean forwarding;
  boolean requestDone;
  /**
   * The request's body broke off (the decoder refused the rest): it counts as done, but the
   * upstream connection that got part of it is never reused.
   */
  boolean bodyBroken;
  boolean responseStarted;
  boolean responseDone;
  /** A 1xx answer is being relayed; the final answer follows. */
  boolean interim;
  boolean head;
  boolean http10;
  /** The client waits for {@code 100 Continue} before it sends the body. */
  boolean expectsContinue;
  /** The client connection closes after this exchange. */
  boolean closeAfter;
  /** The request asks to upgrade (WebSocket): a 101 turns both connections into relays. */
  boolean upgrade;
  /** A CONNECT or upgrade request: the codec holds what follows until the answer is given. */
  boolean switching;
  /** Body bytes went upstream: the request is not sent again on another connection. */
  boolean bodySent;
  /** The origin's answer keeps its connection alive. */
  boolean keepAliveUp;
  /** The request was sent again once, after a pooled connection turned out closed. */
  boolean retried;
  /** The request being forwarded, until its answer starts (kept for that one retry). */
  HttpRequest request;
  /** The outcome being acted on: a request to forward, or a CONNECT tunnel. */
  Outcome.Forward forward;
  Outcome.Tunnel tunnel;
  /** A CONNECT chosen for interception, switched once it was read whole. */
  TunnelTarget intercept;
  /** Where the upstream connection goes: the checked address, the port, the TLS name or null. */
  InetAddress address;
  int port;
  String serverName;
  /** The upstream connection serving the exchange, or null. */
  Upstream up;

  /** A new exchange: everything about the last one is forgotten. */
  void begin() {
    busy = true;
    generation++;
    identifying = forwarding = requestDone = bodyBroken = responseStarted = responseDone = false;
    interim = false;
    upgrade = switching = bodySent = keepAliveUp = retried = false;
    forward = null;
    tunnel = null;
    intercept = null;
    address = null;
    serverName = null;
  }
}
