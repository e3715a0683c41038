package org.schoolgate.proxy.pages;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A response written by the proxy itself (block and error pages), as opposed to one relayed
 * from an origin. Filters use the type to tell the two apart.
 */
public final class PageResponse extends DefaultFullHttpResponse {
  PageResponse(HttpResponseStatus status, ByteBuf content) {
    super(HttpVersion.HTTP_1_1, status, content);
  }
}
