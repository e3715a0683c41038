package org.schoolgate.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;

/**
 * Encodes responses to the client knowing which request each answers (answers go out in
 * request order): an answer to HEAD, or a 2xx to CONNECT, has no body whatever its headers say.
 * Interim (1xx) answers do not use up a request.
 */
final class ResponseEncoder extends HttpResponseEncoder {
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);
  private HttpMethod answering;

  /** A request was read: its answer will come in turn. */
  void expect(HttpMethod method) {
    methods.add(method);
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return super.isContentAlwaysEmpty(msg);
    }
    answering = methods.poll(); // null: a page for a request the decoder refused
    return HttpMethod.HEAD.equals(answering) || connected(msg) || super.isContentAlwaysEmpty(msg);
  }

  @Override
  protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
    if (connected(msg)) {
      msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      msg.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      return;
    }
    super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
  }

  private boolean connected(HttpResponse msg) {
    return HttpMethod.CONNECT.equals(answering)
        && msg.status().codeClass() == HttpStatusClass.SUCCESS;
  }
}
