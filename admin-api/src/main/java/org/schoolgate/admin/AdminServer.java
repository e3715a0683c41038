package org.schoolgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API on its own port. Handlers run on Jetty's worker threads ("schoolgate-admin-N"),
 * never on a proxy event loop, so a policy reload may read files and compile lists there.
 *
 * <pre>{@code
 * try (AdminServer admin = AdminServer.start(AdminConfig.defaults(), holder, registry, clock)) {
 *   System.out.println("admin API on port " + admin.port());
 * }
 * }</pre>
 *
 * <p>Errors are JSON {@code {code, message, field}}: 400 for bad input, 404 for unknown routes,
 * 422 for a rejected policy reload, 500 for bugs.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;
  private final InetSocketAddress address;

  private AdminServer(Javalin app, InetSocketAddress address) {
    this.app = app;
    this.address = address;
  }

  /** Starts the server; returns once it is listening. */
  public static AdminServer start(
      AdminConfig config, PolicyHolder holder, PrometheusMeterRegistry registry, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    PolicyRoutes policy = new PolicyRoutes(holder);
    DecideRoute decide = new DecideRoute(holder, clock);
    RequestAccessPage requestAccess = new RequestAccessPage();

    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.jsonMapper(new JavalinJackson(mapper, false));
      QueuedThreadPool pool = new QueuedThreadPool(16, 2);
      pool.setName("schoolgate-admin");
      cfg.jetty.threadPool = pool;
      cfg.router.mount(r -> {
        r.get("/healthz", policy::health);
        r.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        r.get("/api/v1/decide", decide::handle);
        r.post("/api/v1/policy/reload", policy::reload);
        r.get("/request-access", requestAccess::handle);
        r.exception(InputException.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
            .json(new ApiError(e.code(), e.getMessage(), e.field())));
        r.exception(Exception.class, (e, ctx) -> {
          log.error("admin API {} {} failed", ctx.method(), ctx.path(), e);
          ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ApiError("internal_error",
              "the server failed to answer " + ctx.method() + " " + ctx.path() + ": " + e, null));
        });
        r.error(HttpStatus.NOT_FOUND.getCode(), ctx -> ctx.json(new ApiError("not_found",
            "no route for " + ctx.method() + " " + ctx.path()
                + " (expected: GET /healthz, GET /metrics, GET /api/v1/decide, "
                + "POST /api/v1/policy/reload, GET /request-access)", null)));
      });
    });
    String host = config.listen().getAddress().getHostAddress();
    app.start(host, config.listen().getPort());
    InetSocketAddress bound = new InetSocketAddress(config.listen().getAddress(), app.port());
    log.info("admin API listening on http://{}", hostPort(bound));
    return new AdminServer(app, bound);
  }

  /** The port the server is bound to (useful with port 0). */
  public int port() {
    return address.getPort();
  }

  /** The address the server is bound to. */
  public InetSocketAddress address() {
    return address;
  }

  /** Stops accepting requests and stops the server. */
  @Override
  public void close() {
    app.stop();
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
