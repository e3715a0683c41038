package org.schoolgate.proxy.dns;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The sentinel "response" a filter returns to LittleProxy while the request's host is being
 * resolved. LittleProxy writes it like any short-circuit response; the {@link DnsGate} swallows
 * it (and the empty buffers after it) so the client never sees it. A fresh instance per use,
 * because LittleProxy edits the headers of the responses it writes.
 */
public final class DnsPending extends DefaultFullHttpResponse {

  public DnsPending() {
    super(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
    headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
  }
}
