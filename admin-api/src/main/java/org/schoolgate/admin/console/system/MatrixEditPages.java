package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.console.reports.ReportsAccess;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.policyedit.MatrixEdits;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.dryrun.DryRun;
import org.schoolgate.store.Role;

/**
 * {@code GET /policy/matrix/edit?category=&group=} (the form for one cell: the level in words, with
 * schedules or nominees where the level needs them, and a reason), {@code POST /policy/matrix/edit}
 * (saved through {@link MatrixEdits}, as the API does) and {@code POST /policy/matrix/dry-run} (the
 * same change as a candidate policy, replayed over the last 7 days by the existing dry run). A cell
 * the viewer may not change shows why instead of a form.
 */
public final class MatrixEditPages {
  private final View view;
  private final PolicyHolder holder;
  private final MatrixEdits edits;
  private final Optional<Reports> reports;

  public MatrixEditPages(View view, PolicyHolder holder, MatrixEdits edits, Optional<Reports> reports) {
    this.view = view;
    this.holder = holder;
    this.edits = edits;
    this.reports = reports;
  }

  /** A level the form offers: its value and its words. */
  public record Choice(String value, String words, boolean selected) {}

  /**
   * The form's model; {@code refusal} non-null means no form. {@code cell} is what the cell holds
   * now, so saving a new level or reason keeps the schedules and nominees unless they are changed.
   */
  public record Model(String category, String description, boolean sensitive, String group, String current,
      String refusal, List<Choice> levels, List<String> schedules, List<String> groups, boolean canDryRun,
      Filled cell) {}

  /** The cell's schedules, nominated users (comma-separated), groups and directory groups (one a line), sorted. */
  public record Filled(Set<String> schedules, String users, Set<String> groups, String directoryGroups) {
    static final Filled EMPTY = new Filled(Set.of(), "", Set.of(), "");

    static Filled of(Cell cell) {
      if (cell == null) {
        return EMPTY;
      }
      return new Filled(new TreeSet<>(cell.schedules()), String.join(", ", new TreeSet<>(cell.nominatedUsers())),
          cell.nominatedGroups().stream().map(GroupId::value).collect(Collectors.toCollection(TreeSet::new)),
          String.join("\n", new TreeSet<>(cell.nominatedDirectoryGroups())));
    }
  }

  public void form(Context ctx) {
    Caller caller = Caller.of(ctx);
    PolicyConfig config = holder.compiled().config();
    String category = required(ctx.queryParam("category"), "category");
    String group = required(ctx.queryParam("group"), "group");
    CategoryConfig c = config.categories().stream().filter(x -> x.id().value().equals(category)).findFirst()
        .orElseThrow(() -> ApiException.notFound("There is no category '" + category + "'."));
    MatrixView matrix = MatrixView.of(holder.current());
    MatrixView.Row row = matrix.rows().stream().filter(r -> r.category().equals(category)).findFirst()
        .orElseThrow(() -> ApiException.notFound(category + " has no matrix row."));
    String current = "default".equals(group) ? "the row's default" : row.cells().stream()
        .filter(x -> x.group().equals(group)).findFirst().map(MatrixView.CellView::words)
        .orElseThrow(() -> ApiException.notFound("There is no group '" + group + "'."));
    String level = switch (row.cells().stream().filter(x -> x.group().equals(group)).findFirst()
        .map(MatrixView.CellView::level).orElse("")) {
      case "acceptable-at-certain-times" -> "at-times";
      case "acceptable-for-nominated-users" -> "nominated";
      case "acceptable" -> "acceptable";
      case "unacceptable" -> "unacceptable";
      default -> "";
    };
    List<Choice> levels = new ArrayList<>();
    for (String[] l : new String[][] {{"acceptable", "Acceptable"}, {"at-times", "Acceptable at certain times"},
        {"nominated", "Acceptable for nominated users"}, {"unacceptable", "Unacceptable"}}) {
      levels.add(new Choice(l[0], l[1], l[0].equals(level)));
    }
    view.render(ctx, "system/matrix-edit.jte", view.page(ctx, "Change a matrix cell"), new Model(category,
        c.description(), holder.current().isSensitive(new CategoryId(category)), group, current,
        edits.refusal(caller, category), levels, config.schedules().stream().map(s -> s.name()).toList(),
        config.groups().stream().map(g -> g.id().value()).toList(),
        reports.isPresent() && (caller.has(Role.TECHNICIAN) || caller.has(Role.SENIOR_LEADER)),
        Filled.of(config.matrix().stream().filter(r -> r.category().value().equals(category)).findFirst()
            .map(r -> "default".equals(group) ? r.defaultCell() : r.cells().get(new GroupId(group))).orElse(null))));
  }

  public void save(Context ctx) {
    MatrixEdits.Edited done = edits.change(Caller.of(ctx), change(ctx));
    Flash.success(ctx, "Changed " + done.category() + " for " + done.group() + " from " + done.before() + " to "
        + done.after() + ". It is in force now.");
    ctx.redirect("/policy/matrix#row-" + done.category(), HttpStatus.SEE_OTHER);
  }

  public void dryRun(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    String candidate = edits.candidate(Caller.of(ctx), change(ctx));
    DryRun run = r.dryRuns().start(ReportsAccess.viewer(ctx), candidate, 7);
    ctx.redirect("/policy/dry-run/" + run.id(), HttpStatus.SEE_OTHER);
  }

  private static MatrixEdits.CellChange change(Context ctx) {
    String users = ctx.formParam("users");
    List<String> userList = users == null ? List.of() : Arrays.stream(users.split("[,\\s]+"))
        .filter(u -> !u.isBlank()).toList();
    String directory = ctx.formParam("directoryGroups");
    List<String> directoryList = directory == null ? List.of() : Arrays.stream(directory.split("\\R"))
        .filter(d -> !d.isBlank()).toList();
    return new MatrixEdits.CellChange(required(ctx.formParam("category"), "category"),
        required(ctx.formParam("group"), "group"), ctx.formParam("level"), ctx.formParams("schedules"), userList,
        ctx.formParams("groups"), directoryList, ctx.formParam("reason"));
  }

  private static String required(String v, String name) {
    if (v == null || v.isBlank()) {
      throw ApiException.invalid(name, "Choose a " + name + " (open the cell from the matrix page).");
    }
    return v.strip();
  }
}
