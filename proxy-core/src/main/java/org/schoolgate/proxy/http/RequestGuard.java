package org.schoolgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.ErrorPage;

/**
 * Stops requests the proxy must not pass on, right after the codec: a request the decoder could
 * not read (smuggling-prone framing, bad characters, obs-fold: 400; request line too long: 414;
 * headers too large: 431), a head that did not arrive in time (408), and what the decoder lets
 * through but RFC 9112 forbids: more than one {@code Host} header, a request-target with spaces
 * or control characters; and a {@code Transfer-Encoding} other than one line saying {@code
 * chunked} (the decoder looks only at the last coding, so {@code xchunked?, chunked} or two lines
 * would go upstream, where a recipient that reads the first coding sees another body: a
 * request-smuggling shape; clients send no other coding); a CONNECT that announces a body
 * ({@code Transfer-Encoding}, or a {@code Content-Length} other than 0: CONNECT has none, and
 * whether the bytes after its head are a body or the tunnel's would depend on the answer). The
 * request is replaced by a {@link Rejected} for the front handler,
 * which answers it in order; everything read after it is dropped.
 */
public final class RequestGuard extends ChannelInboundHandlerAdapter {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-guard";

  private boolean rejected;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      Throwable cause = http.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      if (cause instanceof TooLongHttpLineException) {
        reject(ctx, ErrorPage.URI_TOO_LONG, Rejection.URI_TOO_LONG, "request line too long");
      } else if (cause instanceof TooLongHttpHeaderException) {
        reject(ctx, ErrorPage.HEADERS_TOO_LARGE, Rejection.BAD_REQUEST, "headers too large");
      } else {
        reject(ctx, ErrorPage.BAD_REQUEST, Rejection.BAD_REQUEST, describe(cause));
      }
      return;
    }
    if (msg instanceof HttpRequest request) {
      String problem = problem(request);
      if (problem != null) {
        ReferenceCountUtil.release(msg);
        reject(ctx, ErrorPage.BAD_REQUEST, Rejection.BAD_REQUEST, problem);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof HeadTimeout) {
      if (!rejected) {
        reject(ctx, ErrorPage.REQUEST_TIMEOUT, Rejection.HEADER_TIMEOUT,
            "the request head did not arrive in time");
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void reject(ChannelHandlerContext ctx, ErrorPage page, Rejection rejection, String why) {
    rejected = true;
    ctx.fireChannelRead(new Rejected(page, rejection, why));
  }

  /** What RFC 9112 forbids in a decoded request head, or null. Allocates nothing when fine. */
  static String problem(HttpRequest request) {
    String uri = request.uri();
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return "the request-target contains a space or control character";
      }
    }
    if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      return "more than one Host header";
    }
    if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (codings.size() > 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(
          codings.get(0).strip())) {
        return "a Transfer-Encoding other than one chunked coding";
      }
      if (HttpMethod.CONNECT.equals(request.method())) {
        return "a CONNECT request with a body (CONNECT has none, RFC 9110 9.3.6)";
      }
    }
    if (HttpMethod.CONNECT.equals(request.method())
        && HttpUtil.getContentLength(request, 0L) != 0L) {
      return "a CONNECT request with a body (CONNECT has none, RFC 9110 9.3.6)";
    }
    return null;
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "malformed request";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
