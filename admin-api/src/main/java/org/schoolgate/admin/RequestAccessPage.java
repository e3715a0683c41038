package org.schoolgate.admin;

import io.javalin.http.Context;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /request-access?url=&host=&category=&group=}: where the block page's "request access"
 * link lands. It shows what was blocked, a sign-in form for staff who are not signed in, and the
 * unblock request form filled in from the link, which posts to {@code POST /api/v1/unblocks} and
 * shows the answer. Self-contained: no external assets; every value from the query is
 * HTML-escaped, and the script reads values from the form, never from the query. API paths are
 * relative, so the page works behind a reverse proxy that serves it under a path prefix.
 */
final class RequestAccessPage {
  private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");

  void handle(Context ctx) {
    String url = value(ctx.queryParam("url"));
    String host = value(ctx.queryParam("host"));
    String category = value(ctx.queryParam("category"));
    String group = value(ctx.queryParam("group"));
    boolean byUrl = !url.isEmpty();
    String target = byUrl ? url : host;
    Map<String, String> values = Map.of(
        "url", shown(url),
        "category", shown(category),
        "group", shown(group),
        "urlSelected", byUrl ? " selected" : "",
        "domainSelected", byUrl ? "" : " selected",
        "targetValue", escape(target),
        "groupValue", escape(group));
    // One pass, so a value that happens to contain "{{name}}" is never expanded again.
    Matcher m = SLOT.matcher(PAGE);
    StringBuilder html = new StringBuilder(PAGE.length() + 256);
    while (m.find()) {
      m.appendReplacement(html, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(html);
    ctx.header("Cache-Control", "no-store");
    ctx.header("Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private static String value(String s) {
    return s == null ? "" : s.strip();
  }

  private static String shown(String s) {
    return s.isEmpty() ? "(not given)" : escape(s);
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

  private static final String PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Request access - Schoolgate</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <style>body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}
      th{text-align:left;padding-right:1em}td,th{padding:.3em 0}label{display:block;margin-top:.8em}
      input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.3em}
      button{font:inherit;margin-top:1em;padding:.4em 1.2em}.hidden{display:none}
      #message{margin-top:1em;padding:.6em;border-radius:4px}.ok{background:#e6f4ea}.error{background:#fdecea}</style></head>
      <body>
      <h1>Request access</h1>
      <p>The school's web filter blocked this site. Staff can ask for it to be unblocked for a class or
      a room for a while; someone else (a technician, the DSL or a senior leader) approves the request.
      Pupils: please ask your teacher.</p>
      <table>
      <tr><th>Site</th><td>{{url}}</td></tr>
      <tr><th>Category</th><td>{{category}}</td></tr>
      <tr><th>Group</th><td>{{group}}</td></tr>
      </table>

      <form id="login" class="hidden">
      <h2>Staff sign-in</h2>
      <label>Username <input id="username" name="username" autocomplete="username" required></label>
      <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
      </form>

      <form id="request" class="hidden">
      <h2>Ask for an unblock</h2>
      <p id="who"></p>
      <label>Unblock <select id="targetType">
      <option value="url"{{urlSelected}}>this address and everything below it</option>
      <option value="domain"{{domainSelected}}>the whole site</option></select></label>
      <label>Address <input id="targetValue" value="{{targetValue}}" required></label>
      <label>For groups (comma-separated) <input id="groups" value="{{groupValue}}"></label>
      <label>Or for rooms (CIDR ranges, comma-separated) <input id="subnets" placeholder="10.20.4.0/24"></label>
      <label>For how long <select id="duration">
      <option value="60">1 hour</option><option value="120">2 hours</option>
      <option value="1440">1 day</option><option value="10080">1 week</option>
      <option value="20160">2 weeks</option></select></label>
      <label>Why the class needs it <textarea id="reason" rows="3" minlength="15" required></textarea></label>
      <button type="submit">Send request</button>
      </form>
      <div id="message" class="hidden" role="status"></div>

      <script>
      (function () {
        var $ = function (id) { return document.getElementById(id); };
        function list(text) { return text.split(',').map(function (s) { return s.trim(); }).filter(Boolean); }
        function show(text, ok) {
          var m = $('message'); m.textContent = text; m.className = ok ? 'ok' : 'error';
        }
        function call(method, path, body) {
          return fetch(path, {method: method, credentials: 'same-origin',
            headers: {'Content-Type': 'application/json'}, body: body ? JSON.stringify(body) : undefined})
            .then(function (r) { return r.json().catch(function () { return {}; })
              .then(function (j) { return {status: r.status, json: j}; }); });
        }
        function signedIn(account) {
          $('login').className = 'hidden'; $('request').className = '';
          $('who').textContent = 'Signed in as ' + account.displayName + ' (' + account.username + ').';
        }
        call('GET', 'api/v1/me').then(function (r) {
          if (r.status === 200) { signedIn(r.json.account); } else { $('login').className = ''; }
        });
        $('login').addEventListener('submit', function (e) {
          e.preventDefault();
          call('POST', 'api/v1/login', {username: $('username').value, password: $('password').value})
            .then(function (r) {
              $('password').value = '';
              if (r.status === 200) { $('message').className = 'hidden'; signedIn(r.json.account); }
              else { show(r.json.message || 'Sign-in failed.', false); }
            });
        });
        $('request').addEventListener('submit', function (e) {
          e.preventDefault();
          call('POST', 'api/v1/unblocks', {
            target: {type: $('targetType').value, value: $('targetValue').value},
            groups: list($('groups').value), subnets: list($('subnets').value),
            durationMinutes: parseInt($('duration').value, 10), reason: $('reason').value
          }).then(function (r) {
            if (r.status === 201) {
              show('Request ' + r.json.id + ' sent: ' + r.json.target.text + ' until ' + r.json.until
                + '. It is ' + r.json.status + (r.json.sensitive ? ' and needs the DSL or a senior leader to approve it.' : '.'), true);
            } else {
              show((r.json.message || 'The request failed.') + (r.json.field ? ' [' + r.json.field + ']' : ''), false);
            }
          });
        });
      })();
      </script>
      </body>
      </html>
      """;
}
