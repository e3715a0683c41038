package org.schoolgate.reports;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * A fresh installation per test: the shipped sample policy (Europe/London), a real SQLite store,
 * an empty access-log directory, a clock at {@link #NOW}, and the {@link Reports} over them.
 */
public final class ReportsFixture implements BeforeEachCallback, AfterEachCallback {
  /** Thursday 26 November 2026, 14:00 in London (GMT). */
  public static final Instant NOW = Instant.parse("2026-11-26T14:00:00Z");

  public Path dir;
  public Path logs;
  public MutableClock clock;
  public PolicyHolder holder;
  public Store store;
  public SimpleMeterRegistry registry;
  public Reports reports;
  public LogLines log;
  private ReportsSettings settings = ReportsSettings.DEFAULTS;

  public ReportsFixture settings(ReportsSettings s) {
    this.settings = s;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("schoolgate-reports-test");
    logs = Files.createDirectories(dir.resolve("logs"));
    clock = new MutableClock(NOW);
    holder = PolicyHolder.load(SamplePolicy.extractTo(dir.resolve("policy")), clock);
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    registry = new SimpleMeterRegistry();
    reports = Reports.open(logs, settings, holder, store, registry, clock);
    log = new LogLines(logs);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (reports != null) {
      reports.close();
    }
    if (store != null) {
      store.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public static Viewer viewer(String name, Role... roles) {
    return Viewer.of(new Actor(null, name, "127.0.0.1"), roles);
  }

  public static final Viewer DSL = viewer("dsl", Role.DSL);
  public static final Viewer GOVERNOR = viewer("governor", Role.GOVERNOR);
  public static final Viewer TECHNICIAN = viewer("technician", Role.TECHNICIAN);
  public static final Viewer SENIOR = viewer("head", Role.SENIOR_LEADER);
}
