package org.schoolgate.proxy.http;

/**
 * The event fired when a request head did not arrive whole within the head-read timeout; the
 * guard answers it with the 408 page and the connection closes.
 */
public final class HeadTimeout {
  static final HeadTimeout INSTANCE = new HeadTimeout();

  private HeadTimeout() {}

  @Override
  public String toString() {
    return "HeadTimeout";
  }
}
