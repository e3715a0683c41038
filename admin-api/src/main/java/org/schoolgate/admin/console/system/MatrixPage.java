package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import org.schoolgate.admin.console.View;
import org.schoolgate.policy.PolicyHolder;

/** {@code GET /policy/matrix}: the acceptable-use matrix as a grid; printable. */
public final class MatrixPage {
  private final View view;
  private final PolicyHolder holder;

  public MatrixPage(View view, PolicyHolder holder) {
    this.view = view;
    this.holder = holder;
  }

  public void show(Context ctx) {
    view.render(ctx, "system/matrix.jte", view.page(ctx, "Policy matrix"), MatrixView.of(holder.current()));
  }
}
