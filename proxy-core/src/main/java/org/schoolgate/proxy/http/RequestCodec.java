package org.schoolgate.proxy.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import java.time.Duration;

/**
 * The client side's HTTP/1.1 codec: the {@link StrictRequestDecoder} and the {@link
 * ResponseEncoder}, which learns each request's method from the decoder.
 */
public final class RequestCodec
    extends CombinedChannelDuplexHandler<StrictRequestDecoder, ResponseEncoder> {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-http";
  /** The most header bytes (all header lines together) a request may carry; more gets 431. */
  public static final int MAX_HEADER_BYTES = 32 * 1024;

  /**
   * @param maxRequestLine longest request line (longer: 414 page)
   * @param headTimeout how long a request head may take to arrive whole (zero: no limit)
   */
  public RequestCodec(int maxRequestLine, Duration headTimeout) {
    ResponseEncoder encoder = new ResponseEncoder();
    init(new StrictRequestDecoder(maxRequestLine, MAX_HEADER_BYTES, headTimeout.toNanos(), encoder),
        encoder);
  }

  /** Decodes, as HTTP, the bytes held after a CONNECT or upgrade that did not switch. */
  public void release() {
    inboundHandler().release();
  }
}
