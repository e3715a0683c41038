package org.schoolgate.admin.console.reports;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.Viewer;

/** The reports service (or the 503 page when this server runs none) and the viewer a page asks as. */
public final class ReportsAccess {
  private ReportsAccess() {}

  public static Reports require(Optional<Reports> reports) {
    return reports.orElseThrow(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "reports_unavailable",
        "The reports are not running on this server (they start with the access log on a full Schoolgate;"
            + " a bare admin server has none). Ask your technician.", null));
  }

  public static Viewer viewer(Context ctx) {
    Caller caller = Caller.of(ctx);
    return new Viewer(caller.actor(), caller.account().roles());
  }
}
