package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The response encoder in an {@link EmbeddedChannel}: an interim answer does not use up a
 * request, the answer to HEAD carries no body whatever its headers say, and the next answer is
 * framed for its own request.
 */
class ResponseEncoderTest {
  private final ResponseEncoder encoder = new ResponseEncoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(encoder);

  private String written() {
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return out.toString();
  }

  private static HttpResponse response(int status, int length) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    if (length >= 0) {
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    return r;
  }

  @Test
  void anInterimAnswerThenTheHeadAnswerWithoutBodyThenAGetAnswerWithIts() {
    encoder.expect(HttpMethod.HEAD);
    encoder.expect(HttpMethod.GET);

    channel.writeOutbound(response(100, -1), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.writeOutbound(response(200, 5), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.writeOutbound(response(200, 5),
        new DefaultHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)),
        LastHttpContent.EMPTY_LAST_CONTENT);

    assertThat(written()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"
        + "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
  }

  @Test
  void aTwoHundredToConnectHasNoFramingHeaders() {
    encoder.expect(HttpMethod.CONNECT);
    HttpResponse established = response(200, 0);
    established.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");

    channel.writeOutbound(established, LastHttpContent.EMPTY_LAST_CONTENT);

    assertThat(written()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
  }
}
