package org.schoolgate.proxy.http;

import io.netty.channel.Channel;

/**
 * Why the client is not being read, as bits: reading stops with the first reason and resumes
 * when none is left, so independent reasons never undo each other. Auto-read changes only on
 * those edges (each change is a system call with epoll).
 */
final class ReadPauses {
  /** Requests wait their turn behind the exchange in progress. */
  static final int PIPELINED = 1;
  /** A step is pending: a DNS answer or a connect. */
  static final int WAITING = 2;
  /** The upstream connection cannot take more of the request body. */
  static final int UPSTREAM_FULL = 4;
  /**
   * Bytes after a CONNECT or upgrade wait in the codec until it is known whether the protocol
   * switches (the codec tells the front when the first of them arrive: {@link
   * StrictRequestDecoder#HOLDING}).
   */
  static final int HELD = 8;

  private final Channel client;
  private int pauses;

  ReadPauses(Channel client) {
    this.client = client;
  }

  void pause(int reason) {
    if (pauses == 0) {
      client.config().setAutoRead(false);
    }
    pauses |= reason;
  }

  void resume(int reason) {
    if ((pauses & reason) == 0) {
      return;
    }
    pauses &= ~reason;
    if (pauses == 0 && client.isActive()) {
      client.config().setAutoRead(true);
    }
  }
}
