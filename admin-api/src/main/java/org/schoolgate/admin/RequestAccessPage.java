package org.schoolgate.admin;

import io.javalin.http.Context;

/**
 * {@code GET /request-access?url=&category=&group=}: where the block page's "request access" link
 * lands. The unblock workflow (accounts, approvals) comes in a later version, so this page says so
 * plainly and shows the details a pupil or teacher can pass on to the school's IT staff.
 */
final class RequestAccessPage {

  void handle(Context ctx) {
    String url = value(ctx.queryParam("url"));
    String category = value(ctx.queryParam("category"));
    String group = value(ctx.queryParam("group"));
    String html = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Request access - Schoolgate</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#222}
        th{text-align:left;padding-right:1em}td,th{padding:.3em 0}</style></head>
        <body>
        <h1>Request access</h1>
        <p>Online access requests are not available yet: this version of Schoolgate cannot send
        your request to anyone. If you need this site for your work, please tell your teacher or
        the school's IT staff and give them the details below.</p>
        <table>
        <tr><th>Site</th><td>%s</td></tr>
        <tr><th>Category</th><td>%s</td></tr>
        <tr><th>Group</th><td>%s</td></tr>
        </table>
        </body>
        </html>
        """.formatted(escape(url), escape(category), escape(group));
    ctx.contentType("text/html; charset=utf-8").result(html);
  }

  private static String value(String s) {
    return s == null || s.isBlank() ? "(not given)" : s;
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
}
