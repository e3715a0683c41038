package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;

class RequestAccessPageTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();

  @Test
  void thePageShowsTheBlockedDetailsAndPrefillsTheRequestFormFromTheLink() {
    Reply reply = api.anonymous().get("/request-access?url=" + enc("http://www.bet365.com/games")
        + "&host=www.bet365.com&category=gambling&group=ks3-4");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/html");
    assertThat(reply.body())
        .contains("<td>http://www.bet365.com/games</td>")
        .contains("<td>gambling</td>")
        .contains("<td>ks3-4</td>")
        .contains("<input id=\"targetValue\" value=\"http://www.bet365.com/games\" required>")
        .contains("<input id=\"groups\" value=\"ks3-4\">")
        .contains("<option value=\"url\" selected>")
        .contains("<form id=\"login\"")
        .contains("fetch(path")
        // relative, so the page also works behind a reverse proxy that adds a path prefix
        .contains("call('POST', 'api/v1/unblocks'")
        .contains("call('POST', 'api/v1/login'")
        .contains("call('GET', 'api/v1/me')");
  }

  @Test
  void onlyTheHostPrefillsAWholeSiteRequest() {
    Reply reply = api.anonymous().get("/request-access?host=www.bet365.com&category=gambling&group=ks2");

    assertThat(reply.body())
        .contains("<option value=\"domain\" selected>")
        .contains("<input id=\"targetValue\" value=\"www.bet365.com\" required>")
        .contains("<tr><th>Site</th><td>(not given)</td></tr>");
  }

  @Test
  void everyValueFromTheLinkIsEscapedAndNeverReachesTheScript() {
    Reply reply = api.anonymous().get("/request-access?url=" + enc("http://x.example/\"><script>alert(1)</script>")
        + "&category=" + enc("<b>c</b>") + "&group=" + enc("'{{url}}'"));

    assertThat(reply.body())
        .contains("<td>http://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>")
        .contains("value=\"http://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"")
        .contains("<td>&lt;b&gt;c&lt;/b&gt;</td>")
        .contains("<td>&#39;{{url}}&#39;</td>")
        .doesNotContain("<script>alert(1)")
        .doesNotContain("<b>c</b>");
  }

  @Test
  void thePageLoadsNothingFromElsewhere() {
    Reply reply = api.anonymous().get("/request-access?url=http://a.example/");

    assertThat(reply.body()).doesNotContain(" src=").doesNotContain("<link").doesNotContain("https://")
        .contains("<script>");
    assertThat(reply.header("Content-Security-Policy")).contains("default-src 'none'").contains("connect-src 'self'");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
