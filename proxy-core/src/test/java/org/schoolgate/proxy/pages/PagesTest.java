package org.schoolgate.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.Rule;

class PagesTest {
  private final Pages pages = new Pages("http://admin.school.test:8080/request");
  private final Decision gambling = new Decision.Block(Level.UNACCEPTABLE, Rule.MATRIX,
      new GroupId("pupils"), new CategorySet(List.of(new CategoryId("gambling"))),
      new CategoryId("gambling"), "gambling is unacceptable for pupils");
  private final ZonedDateTime at =
      ZonedDateTime.of(2026, 11, 23, 12, 30, 0, 0, ZoneId.of("Europe/London"));

  @Test
  void blockPageNamesTheSiteCategoryLevelRuleGroupTimeAndReason() {
    String html = body(pages.block(
        new BlockNotice("www.bet365.com", "http://www.bet365.com/", gambling, at), false, true));

    assertThat(html).contains("www.bet365.com", "gambling", "unacceptable",
        "matrix:gambling/pupils", "pupils", "Monday 23 November 2026, 12:30",
        "Gambling is unacceptable for pupils", "Request access");
  }

  @Test
  void requestAccessLinkCarriesTheUrlCategoryAndGroupUrlEncoded() {
    BlockNotice notice = new BlockNotice("www.bet365.com",
        "http://www.bet365.com/odds?a=1&b=2", gambling, at);

    assertThat(pages.requestAccessLink(notice)).isEqualTo(
        "http://admin.school.test:8080/request?url=http%3A%2F%2Fwww.bet365.com%2Fodds%3Fa%3D1%26b%3D2"
            + "&category=gambling&group=pupils");
    assertThat(body(pages.block(notice, false, true)))
        .contains("href=\"http://admin.school.test:8080/request?url=http%3A%2F%2Fwww.bet365.com"
            + "%2Fodds%3Fa%3D1%26b%3D2&amp;category=gambling&amp;group=pupils\"");
  }

  @Test
  void theReportLinkGoesToTheReportPageBesideTheRequestPageWithTheUrlAndGroup() {
    BlockNotice notice = new BlockNotice("www.bet365.com", "http://www.bet365.com/odds?a=1&b=2", gambling, at);

    assertThat(pages.reportLink(notice)).isEqualTo("http://admin.school.test:8080/report-site?kind=wrongly-blocked"
        + "&url=http%3A%2F%2Fwww.bet365.com%2Fodds%3Fa%3D1%26b%3D2&group=pupils");
    assertThat(body(pages.block(notice, false, true))).contains("Report this block as wrong",
        "href=\"http://admin.school.test:8080/report-site?kind=wrongly-blocked&amp;url=http%3A%2F%2Fwww.bet365.com"
            + "%2Fodds%3Fa%3D1%26b%3D2&amp;group=pupils\"");
  }

  @Test
  void everyValueIsHtmlEscaped() {
    Decision evil = new Decision.Block(Level.UNACCEPTABLE, Rule.MATRIX,
        new GroupId("<g>"), new CategorySet(List.of(new CategoryId("<script>x</script>"))),
        null, "a \"quoted\" <b>reason</b> & more");
    String html = body(pages.block(new BlockNotice("<img src=x>", "http://x/", evil, at),
        false, true));

    assertThat(html).doesNotContain("<script>x", "<img src=x>", "<b>reason", "<g>")
        .contains("&lt;script&gt;", "&lt;img src=x&gt;", "&quot;quoted&quot;", "&amp; more");
  }

  @Test
  void headResponsesKeepContentLengthButHaveNoBody() {
    FullHttpResponse response = pages.error(ErrorPage.DNS_FAILED, true, true);

    assertThat(response.content().readableBytes()).isZero();
    assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
  }

  @ParameterizedTest
  @EnumSource(ErrorPage.class)
  void errorPagesAreServedRepeatedlyFromOnePrebuiltBuffer(ErrorPage page) {
    FullHttpResponse first = pages.error(page, false, true);
    FullHttpResponse second = pages.error(page, false, false);
    String body = body(first);
    body(first);

    assertThat(first.status()).isEqualTo(page.status());
    assertThat(body).contains(Html.escape(page.heading())).contains(String.valueOf(page.status().code()));
    assertThat(body(second)).isEqualTo(body);
    first.release();
    first.release();
    assertThat(body(pages.error(page, false, true))).isEqualTo(body);
  }

  @Test
  void blockAndErrorPagesCarryAStrictContentSecurityPolicy() {
    FullHttpResponse block = pages.block(
        new BlockNotice("www.bet365.com", "http://www.bet365.com/", gambling, at), false, true);
    FullHttpResponse refused = pages.error(ErrorPage.INTERNAL_DESTINATION, false, true);

    for (FullHttpResponse page : List.of(block, refused)) {
      assertThat(page.headers().get("Content-Security-Policy")).isEqualTo("default-src 'none';"
          + " style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(body(page)).doesNotContain("<script").doesNotContain("<form")
          .doesNotContain("<iframe");
    }
    assertThat(pages.blockedConnect("localhost", gambling, true).headers()
        .contains("Content-Security-Policy")).isFalse(); // plain text: no HTML to protect
  }

  @Test
  void theInternalDestinationPageSaysWhatHappenedAndWhatToDo() {
    FullHttpResponse page = pages.error(ErrorPage.INTERNAL_DESTINATION, false, true);

    assertThat(page.status().code()).isEqualTo(403);
    assertThat(page.headers().get("X-Schoolgate")).isEqualTo("blocked");
    assertThat(body(page)).contains("inside the school&#39;s network")
        .contains("rule: internal-destination").contains("intranet list");
  }

  @Test
  void aHeadBlockPageHasNoBodyAndTheLengthOfTheGetOne() {
    BlockNotice notice = new BlockNotice("www.bet365.com", "http://www.bet365.com/", gambling, at);
    int get = pages.block(notice, false, true).content().readableBytes();
    FullHttpResponse head = pages.block(notice, true, true);

    assertThat(head.content().readableBytes()).isZero();
    assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(get);
  }

  @Test
  void theTimeShownFollowsEachNoticeAcrossMinutesAndZones() {
    Decision d = gambling;
    String first = body(pages.block(new BlockNotice("a.test", "http://a.test/", d, at), false, true));
    String same = body(pages.block(new BlockNotice("a.test", "http://a.test/", d, at.plusSeconds(59)),
        false, true));
    String next = body(pages.block(new BlockNotice("a.test", "http://a.test/", d, at.plusSeconds(60)),
        false, true));
    String utc = body(pages.block(new BlockNotice("a.test", "http://a.test/", d,
        at.withZoneSameInstant(ZoneId.of("Asia/Kolkata"))), false, true));

    assertThat(first).contains("Monday 23 November 2026, 12:30");
    assertThat(same).contains("Monday 23 November 2026, 12:30");
    assertThat(next).contains("Monday 23 November 2026, 12:31");
    assertThat(utc).contains("Monday 23 November 2026, 18:00");
  }

  @Test
  void boundTemplatesRenderTheBytesTheStringRendererDoes() {
    Template t = Template.of("<p title=\"{{a}}\">{{b}} &amp; {{a}}{{missing}}</p>{{c}}");
    String[] values = {"Łódź <ok> & \"q\" 'x' \uD83D\uDE00 end", "", "ścieżka"};
    io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
    t.bind("a", "b", "c").render(out, values);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        t.render(java.util.Map.of("a", values[0], "b", values[1], "c", values[2])));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Łódź &lt;ok&gt; &amp; &quot;q&quot; &#39;x&#39; \uD83D\uDE00 end");
  }

  private static String body(FullHttpResponse response) {
    return response.content().toString(StandardCharsets.UTF_8);
  }
}
