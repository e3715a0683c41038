package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.ScriptedOrigin;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * What an HTTP/1.1 forward proxy must do (RFC 9110, RFC 9112), end to end through the real proxy
 * to a real origin: pipelined answers in order, hop-by-hop headers, {@code Via},
 * {@code Max-Forwards}, {@code Expect: 100-continue}, interim answers, HEAD, chunked bodies with
 * trailers, bodies ended by the origin's close, and HTTP/1.0 clients.
 */
class HttpSemanticsEndToEndTest {
  @RegisterExtension
  static ScriptedOrigin origin = new ScriptedOrigin();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("school.test", "127.0.0.1")
      .staticHost("betting.test", "127.0.0.1");

  private String url(String host, String path) {
    return "http://" + host + ":" + origin.port() + path;
  }

  private String get(String host, String path, String extraHeaders) {
    return "GET " + url(host, path) + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n";
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhenTheLastIsBlocked() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      pupil.out().write((get("school.test", "/first", "") + get("school.test", "/second", "")
          + get("betting.test", "/third", "")).getBytes(StandardCharsets.US_ASCII));
      pupil.out().flush();

      Response first = pupil.read();
      Response second = pupil.read();
      Response third = pupil.read();

      assertThat(first.text()).startsWith("path=/first");
      assertThat(second.text()).startsWith("path=/second");
      assertThat(third.status()).isEqualTo(403);
    }
  }

  @Test
  void hopByHopHeadersStayHereAndViaNamesTheProxyBothWays() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.send(get("school.test", "/hops", "Connection: X-Hop, keep-alive\r\n"
          + "X-Hop: for the proxy only\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
          + "Via: 1.1 school-cache\r\n"), false);

      assertThat(r.text()).contains("x-hop=null", "connection=null",
          "via=1.1 school-cache, 1.1 schoolgate");
      assertThat(r.header("via")).contains("schoolgate");
    }
  }

  @Test
  void maxForwardsCountsDownAndZeroIsAnsweredByTheProxy() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      assertThat(staff.send(get("school.test", "/mf", "Max-Forwards: 5\r\n"), false).text())
          .contains("max-forwards=4");
      int before = origin.requests().size();

      Response options = staff.send("OPTIONS " + url("school.test", "/") + " HTTP/1.1\r\n"
          + "Host: school.test\r\nMax-Forwards: 0\r\n\r\n", false);

      assertThat(options.status()).isEqualTo(200);
      assertThat(options.header("allow")).contains("GET", "CONNECT");
      assertThat(origin.requests()).hasSize(before);
    }
  }

  @Test
  void expectContinueGetsTheOriginsHundredBeforeTheBodyIsSent() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      staff.out().write(("POST " + url("school.test", "/upload") + " HTTP/1.1\r\nHost: school.test\r\n"
          + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      staff.out().flush();

      assertThat(staff.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      headerLines(staff);
      staff.out().write("hello".getBytes(StandardCharsets.US_ASCII));
      staff.out().flush();
      Response r = staff.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("path=/upload", "body=5");
    }
  }

  @Test
  void anInterimAnswerIsPassedOnAndTheRealOneFollows() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      staff.out().write(get("school.test", "/hints", "").getBytes(StandardCharsets.US_ASCII));
      staff.out().flush();
      assertThat(staff.readLine()).startsWith("HTTP/1.1 103 ");
      assertThat(headerLines(staff)).contains("link: </style.css>; rel=preload");

      Response r = staff.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("after hints");
    }
  }

  @Test
  void headGetsTheHeadersWithoutABodyAndTheConnectionGoesOn() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response head = staff.sendAndReadHead("HEAD " + url("school.test", "/head") + " HTTP/1.1\r\n"
          + "Host: school.test\r\n\r\n");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isNotEqualTo("0");

      Response next = staff.send(get("school.test", "/after-head", ""), false);
      assertThat(next.text()).startsWith("path=/after-head");
    }
  }

  @Test
  void aChunkedResponseKeepsItsTrailers() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response head = staff.sendAndReadHead(get("school.test", "/chunked", ""));
      assertThat(head.header("transfer-encoding")).isEqualTo("chunked");

      String rest = readUntil(staff.in(), "\r\n\r\n");
      assertThat(rest).contains("one ", "two", "X-Trailer: yes");
    }
  }

  @Test
  void aChunkedRequestBodyIsStreamedToTheOrigin() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.send("POST " + url("school.test", "/chunked-upload") + " HTTP/1.1\r\n"
          + "Host: school.test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", false);

      assertThat(r.text()).contains("body=11");
    }
  }

  @Test
  void theOriginClosingAfterItsAnswerDoesNotCloseTheClient() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response closing = staff.send(get("school.test", "/close", ""), false);
      assertThat(closing.text()).isEqualTo("closing");
      assertThat(closing.header("connection")).isNull();

      assertThat(staff.send(get("school.test", "/still-open", ""), false).text())
          .startsWith("path=/still-open");
    }
  }

  @Test
  void aBodyEndedByTheOriginsCloseIsRechunkedForAnHttp11Client() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.send(get("school.test", "/eof", ""), false);
      assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.text()).isEqualTo("until the end");

      assertThat(staff.send(get("school.test", "/again", ""), false).text()).startsWith("path=/again");
    }
  }

  @Test
  void anHttp10ClientGetsAPlainBodyAndTheConnectionCloses() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.send("GET " + url("school.test", "/chunked") + " HTTP/1.0\r\n"
          + "Host: school.test\r\n\r\n", false);

      assertThat(r.header("transfer-encoding")).isNull();
      assertThat(r.text()).isEqualTo("one two");
      assertThat(staff.closedByPeer()).isTrue();
    }
  }

  /** Reads header lines up to the empty line; returns them in lower case. */
  private static String headerLines(ProxyClient c) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String line = c.readLine(); !line.isEmpty(); line = c.readLine()) {
      lines.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
    }
    return lines.toString();
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      seen.write(c);
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }
}
