package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.policyedit.MatrixEdits;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.store.Role;

/**
 * {@code GET /policy/matrix}: the acceptable-use matrix as a grid; printable. For technicians, the
 * DSL and senior leaders each cell they may change links to its form (never an illegal row; a
 * sensitive row only for the DSL and senior leaders).
 */
public final class MatrixPage {
  private final View view;
  private final PolicyHolder holder;
  private final MatrixEdits edits;

  public MatrixPage(View view, PolicyHolder holder, MatrixEdits edits) {
    this.view = view;
    this.holder = holder;
    this.edits = edits;
  }

  /** The grid and the rows whose cells the viewer may change. */
  public record Model(MatrixView matrix, Set<String> editable) {}

  public void show(Context ctx) {
    Caller caller = Caller.of(ctx);
    MatrixView matrix = MatrixView.of(holder.current());
    boolean editor = caller.has(Role.TECHNICIAN) || caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
    Set<String> editable = !editor ? Set.of() : matrix.rows().stream().map(MatrixView.Row::category)
        .filter(c -> edits.refusal(caller, c) == null).collect(Collectors.toSet());
    view.render(ctx, "system/matrix.jte", view.page(ctx, "Policy matrix"), new Model(matrix, editable));
  }
}
