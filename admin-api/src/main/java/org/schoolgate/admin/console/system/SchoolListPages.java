package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.policyedit.SchoolLists;
import org.schoolgate.store.Role;

/**
 * {@code GET /lists/school}: the school's own block and allow lists with their entries; for
 * technicians a form to add an entry and one to remove each (a reason each time). {@code POST
 * /lists/school/{list}/add} and {@code .../remove} change them through {@link SchoolLists}, as the
 * JSON API does; a refusal comes back on the page with what to fix.
 */
public final class SchoolListPages {
  private final View view;
  private final SchoolLists lists;

  public SchoolListPages(View view, SchoolLists lists) {
    this.view = view;
    this.lists = lists;
  }

  /** The page's model: the lists, and whether the viewer may change them. */
  public record Model(SchoolLists.Lists lists, boolean canEdit) {}

  public void show(Context ctx) {
    view.render(ctx, "system/school-lists.jte", view.page(ctx, "School lists"),
        new Model(lists.lists(), Caller.of(ctx).has(Role.TECHNICIAN)));
  }

  public void change(Context ctx) {
    Caller caller = Caller.of(ctx);
    String list = ctx.pathParam("list");
    String entry = ctx.formParam("entry");
    String reason = ctx.formParam("reason");
    SchoolLists.Edited done = switch (ctx.pathParam("change")) {
      case "add" -> lists.add(caller.actor(), list, entry, reason);
      case "remove" -> lists.remove(caller.actor(), list, entry, reason);
      default -> throw ApiException.notFound("There is no change '" + ctx.pathParam("change")
          + "' for a list (expected: add or remove).");
    };
    Flash.success(ctx, (done.action().equals("added") ? "Added " + done.entry() + " to " : "Removed " + done.entry()
        + " from ") + done.list() + ". It is in force now (" + done.entriesAfter() + " entries in " + done.file()
        + ").");
    ctx.redirect("/lists/school#list-" + done.list(), HttpStatus.SEE_OTHER);
  }
}
