package org.schoolgate.admin.report;

import io.javalin.http.Context;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.store.SiteReport;
import org.schoolgate.store.SiteReportStore;

/**
 * The two public pages of a report until the console's own exist: {@code GET
 * /report-site?kind=&url=&group=} (where the block page's "report this block as wrong" link
 * lands: the form, sent as JSON to {@code api/v1/report-site} by its one inline script, which then
 * shows the outcome link) and {@code GET /report-site/outcome?token=} (the answer, rendered on the
 * server, no script; an unknown token gets a page saying so). Self-contained and HTML-escaped like the request-access page; API paths are
 * relative so a path prefix in front of the admin API keeps working.
 */
public final class ReportSitePages {
  private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");
  private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
      + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'";

  private final SiteReportStore reports;

  public ReportSitePages(SiteReportStore reports) {
    this.reports = reports;
  }

  public void form(Context ctx) {
    String url = value(ctx.queryParam("url"));
    boolean allowed = "wrongly-allowed".equals(value(ctx.queryParam("kind")));
    send(ctx, FORM, Map.of(
        "url", escape(url),
        "blockedSelected", allowed ? "" : " selected",
        "allowedSelected", allowed ? " selected" : ""));
  }

  public void outcome(Context ctx) {
    SiteReport r = reports.byToken(value(ctx.queryParam("token"))).orElse(null);
    if (r == null) { // a page for a person, not a JSON 404: the API's 404s are JSON errors
      send(ctx, OUTCOME, Map.of("url", "(unknown)", "status", "There is no report with this link. Check you"
          + " copied the whole address.", "answer", ""));
      return;
    }
    String status = switch (r.status()) {
      case OPEN -> "Not answered yet: the IT team will look at it.";
      case CHANGED -> "The IT team changed the filter.";
      case UNCHANGED -> "The IT team checked it and the filter stays as it is.";
    };
    send(ctx, OUTCOME, Map.of("url", escape(r.request().url()), "status", status,
        "answer", r.answer() == null ? "" : "<p>" + escape(r.answer()) + "</p>"));
  }

  private static void send(Context ctx, String page, Map<String, String> values) {
    Matcher m = SLOT.matcher(page);
    StringBuilder html = new StringBuilder(page.length() + 256);
    while (m.find()) {
      m.appendReplacement(html, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(html);
    ctx.header("Cache-Control", "no-store");
    ctx.header("Referrer-Policy", "no-referrer"); // the outcome address carries the token
    ctx.header("Content-Security-Policy", CSP);
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private static String value(String s) {
    return s == null ? "" : s.strip();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static final String STYLE = """
      <style>body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}
      label{display:block;margin-top:.8em}input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.3em}
      button{font:inherit;margin-top:1em;padding:.4em 1.2em}.hidden{display:none}
      #message{margin-top:1em;padding:.6em;border-radius:4px}.ok{background:#e6f4ea}.error{background:#fdecea}</style>""";

  private static final String FORM = """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Report a site - Schoolgate</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      """ + STYLE + """
      </head>
      <body>
      <h1>Report a site</h1>
      <p>Tell the IT team when the school's filter got a site wrong: blocked when you need it for
      school work, or allowed when it should not be. They will check it, and you can come back to
      see what they decided.</p>
      <form id="report">
      <label for="kind">What is wrong</label>
      <select id="kind"><option value="wrongly-blocked"{{blockedSelected}}>It is blocked, but it should not be</option>
      <option value="wrongly-allowed"{{allowedSelected}}>It is allowed, but it should be blocked</option></select>
      <label for="url">Address of the site</label><input id="url" value="{{url}}" required>
      <label for="comment">Anything the IT team should know (optional)</label><textarea id="comment" rows="3" maxlength="2000"></textarea>
      <button type="submit">Send report</button>
      </form>
      <div id="message" class="hidden" role="status"></div>
      <script>
      (function () {
        var $ = function (id) { return document.getElementById(id); };
        function say(cls, text, link) {
          var m = $('message'); m.className = cls; m.textContent = text;
          if (link) { var a = document.createElement('a'); a.href = link; a.textContent = ' See the answer here later.'; m.appendChild(a); }
        }
        $('report').addEventListener('submit', function (e) {
          e.preventDefault();
          fetch('api/v1/report-site', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ kind: $('kind').value, url: $('url').value, comment: $('comment').value }) })
            .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
            .then(function (r) {
              if (r.ok) { $('report').className = 'hidden'; say('ok', 'Thank you: your report has reached the IT team.', r.body.outcome.substring(1)); }
              else { say('error', r.body.message || 'The report could not be sent.'); }
            }, function () { say('error', 'The report could not be sent: the server did not answer.'); });
        });
      })();
      </script>
      </body></html>
      """;

  private static final String OUTCOME = """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Your site report - Schoolgate</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      """ + STYLE + """
      </head>
      <body>
      <h1>Your site report</h1>
      <p>Site: {{url}}</p>
      <p><strong>{{status}}</strong></p>
      {{answer}}
      </body></html>
      """;
}
