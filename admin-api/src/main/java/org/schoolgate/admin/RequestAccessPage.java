package org.schoolgate.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * {@code GET /request-access?url=&host=&category=&group=}: where the block page's "request access"
 * link lands. It sends the browser on to the console's request form ({@code /requests/new}) with
 * the same query, which signs a visitor in first and comes back pre-filled. A relative redirect,
 * so it works behind a reverse proxy that serves the console under a path prefix.
 */
final class RequestAccessPage {
  void handle(Context ctx) {
    String query = ctx.queryString();
    ctx.header("Cache-Control", "no-store");
    ctx.redirect("requests/new" + (query == null || query.isEmpty() ? "" : "?" + query), HttpStatus.SEE_OTHER);
  }
}
