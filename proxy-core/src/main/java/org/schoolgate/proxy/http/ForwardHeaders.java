package org.schoolgate.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * What a forwarding proxy changes in the messages it passes on (RFC 9110 7.6, RFC 9112 9.6):
 * the hop-by-hop headers go — {@code Connection} and every header it names, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer},
 * {@code Upgrade} (kept, with {@code Connection: upgrade}, on a request that asks to upgrade and
 * on its 101 answer) — {@code Via} gains this proxy, a request goes upstream in origin-form as
 * HTTP/1.1, and {@code Max-Forwards} counts down. Framing ({@code Content-Length},
 * {@code Transfer-Encoding}) is left to the codecs, which re-frame every message.
 */
final class ForwardHeaders {
  static final AsciiString VIA_VALUE = AsciiString.cached("1.1 schoolgate");
  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString TRAILER = AsciiString.cached("trailer");

  private ForwardHeaders() {}

  /**
   * Prepares {@code request} for the origin; returns true when it asks to upgrade (WebSocket),
   * whose {@code Upgrade} and {@code Connection: upgrade} then stay.
   */
  static boolean request(HttpRequest request) {
    HttpHeaders h = request.headers();
    boolean upgrade = h.contains(HttpHeaderNames.UPGRADE)
        && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    CharSequence upgradeTo = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
    hopByHop(h);
    if (upgrade) {
      h.set(HttpHeaderNames.UPGRADE, upgradeTo);
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    via(h, request.protocolVersion());
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    request.setUri(originForm(request.uri()));
    String maxForwards = h.get(HttpHeaderNames.MAX_FORWARDS);
    if (maxForwards != null) {
      int left = maxForwards(maxForwards);
      if (left > 0) {
        h.setInt(HttpHeaderNames.MAX_FORWARDS, left - 1);
      }
    }
    return upgrade;
  }

  /** Prepares a response from the origin for the client ({@code upgraded}: a 101 switch). */
  static void response(HttpMessage response, boolean upgraded) {
    HttpHeaders h = response.headers();
    CharSequence upgradeTo = upgraded ? h.get(HttpHeaderNames.UPGRADE) : null;
    hopByHop(h);
    if (upgradeTo != null) {
      h.set(HttpHeaderNames.UPGRADE, upgradeTo);
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    via(h, response.protocolVersion());
  }

  /**
   * True when the proxy itself answers: an OPTIONS or TRACE with {@code Max-Forwards: 0}
   * (RFC 9110 7.6.2) is for the proxy, not the origin.
   */
  static boolean forThisProxy(HttpRequest request) {
    if (!HttpMethod.OPTIONS.equals(request.method()) && !HttpMethod.TRACE.equals(request.method())) {
      return false;
    }
    String maxForwards = request.headers().get(HttpHeaderNames.MAX_FORWARDS);
    return maxForwards != null && maxForwards(maxForwards) == 0;
  }

  /** The proxy's own answer to an OPTIONS (or TRACE) with {@code Max-Forwards: 0}. */
  static FullHttpResponse optionsAnswer() {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    r.headers().set(HttpHeaderNames.VIA, VIA_VALUE);
    return r;
  }

  /**
   * Frames an origin's response for the client, returning whether the client connection must
   * close after it: {@code close} (the client asked, or the proxy drains) sets
   * {@code Connection: close}; a body delimited only by the origin closing becomes chunked for an
   * HTTP/1.1 client, and closes an HTTP/1.0 one, which also cannot take chunks.
   */
  static boolean frame(HttpResponse res, boolean head, boolean http10, boolean close) {
    int code = res.status().code();
    boolean bodyless = head || code == 204 || code == 304;
    boolean chunked = HttpUtil.isTransferEncodingChunked(res);
    if (!bodyless && !chunked && !HttpUtil.isContentLengthSet(res)) {
      if (http10) {
        close = true;
      } else {
        HttpUtil.setTransferEncodingChunked(res, true);
      }
    } else if (http10 && chunked) {
      HttpUtil.setTransferEncodingChunked(res, false); // sent as it comes, ended by the close
      close = true;
    }
    if (close) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return close;
  }

  private static int maxForwards(String value) {
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE; // unreadable: forward as if absent
    }
  }

  private static void hopByHop(HttpHeaders h) {
    String connection = h.get(HttpHeaderNames.CONNECTION);
    if (connection != null) {
      int start = 0;
      while (start <= connection.length()) {
        int comma = connection.indexOf(',', start);
        int end = comma < 0 ? connection.length() : comma;
        String name = connection.substring(start, end).trim();
        if (!name.isEmpty() && !isFraming(name)) {
          h.remove(name);
        }
        start = end + 1;
      }
      h.remove(HttpHeaderNames.CONNECTION);
    }
    h.remove(KEEP_ALIVE);
    h.remove(PROXY_CONNECTION);
    h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    h.remove(HttpHeaderNames.TE);
    h.remove(TRAILER);
    h.remove(HttpHeaderNames.UPGRADE);
  }

  /** A Connection header cannot make the proxy drop the message's framing. */
  private static boolean isFraming(String name) {
    return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
  }

  private static void via(HttpHeaders h, HttpVersion received) {
    String protocol = received.majorVersion() == 1 && received.minorVersion() == 0
        ? "1.0 schoolgate" : null;
    String existing = h.get(HttpHeaderNames.VIA);
    CharSequence mine = protocol != null ? protocol : VIA_VALUE;
    h.set(HttpHeaderNames.VIA, existing == null ? mine : existing + ", " + mine);
  }

  /**
   * The origin-form of a request-target: an absolute-form {@code http://host[:port]/path?q}
   * becomes {@code /path?q} (the raw bytes as sent, fragment dropped); origin-form stays.
   */
  static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri; // "*" for OPTIONS, or what the decider already refused
    }
    int path = scheme + 3;
    while (path < uri.length() && uri.charAt(path) != '/' && uri.charAt(path) != '?'
        && uri.charAt(path) != '#') {
      path++;
    }
    int fragment = uri.indexOf('#', path);
    String rest = uri.substring(path, fragment < 0 ? uri.length() : fragment);
    return rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
  }
}
