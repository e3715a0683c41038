package org.schoolgate.admin.console.system;

import io.javalin.http.Context;
import java.util.stream.Collectors;
import org.schoolgate.admin.console.View;
import org.schoolgate.store.Store;

/**
 * {@code GET /health}: rates and levels from the {@link HealthSampler}, a chart of requests and
 * blocks per second over the last ten minutes (uPlot, drawn by console.js) with the same numbers
 * as a table, and whether the database answers.
 */
public final class HealthPage {
  private final View view;
  private final HealthSampler sampler;
  private final Store store;
  private final java.util.function.Supplier<java.time.ZoneId> zone;

  public HealthPage(View view, HealthSampler sampler, Store store, java.util.function.Supplier<java.time.ZoneId> zone) {
    this.zone = zone;
    this.view = view;
    this.sampler = sampler;
    this.store = store;
  }

  /** The page's model: the numbers, the chart's data as JSON (numbers only), and the database's state. */
  public record HealthModel(HealthView health, String chartJson, String database) {}

  public void show(Context ctx) {
    HealthView health = HealthView.of(sampler.samples(), zone.get());
    String labels = health.series().stream().map(p -> Long.toString(p.at())).collect(Collectors.joining(","));
    String requests = health.series().stream().map(p -> Double.toString(p.requestsPerSecond()))
        .collect(Collectors.joining(","));
    String blocks = health.series().stream().map(p -> Double.toString(p.blocksPerSecond()))
        .collect(Collectors.joining(","));
    String chart = "{\"title\":\"Requests and blocks per second\",\"labels\":[" + labels + "],\"series\":["
        + "{\"label\":\"Requests/s\",\"values\":[" + requests + "]},"
        + "{\"label\":\"Blocks/s\",\"values\":[" + blocks + "]}]}";
    String database;
    try {
      store.accounts().count();
      database = "answering (" + store.vendor() + ")";
    } catch (RuntimeException e) {
      database = "NOT answering: " + e.getMessage();
    }
    view.render(ctx, "system/health.jte", view.page(ctx, "System health"), new HealthModel(health, chart, database));
  }
}
