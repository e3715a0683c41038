package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import org.schoolgate.admin.console.View;
import org.schoolgate.policy.PolicyHolder;

/** {@code GET /lists}: each category list's last update, entries and invalid lines. */
public final class ListsPage {
  private final View view;
  private final PolicyHolder holder;

  public ListsPage(View view, PolicyHolder holder) {
    this.view = view;
    this.holder = holder;
  }

  public void show(Context ctx) {
    view.render(ctx, "system/lists.jte", view.page(ctx, "Lists"), ListStatus.of(holder.current()));
  }
}
