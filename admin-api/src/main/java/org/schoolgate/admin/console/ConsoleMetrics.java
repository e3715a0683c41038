package org.schoolgate.admin.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The console's meters, registered at start: {@code schoolgate.console.csrf.refused} (form posts
 * refused for a missing or wrong CSRF token) and {@code schoolgate.console.forbidden} (pages
 * refused to a signed-in account for its roles). No tags: nothing about who or which page.
 */
final class ConsoleMetrics {
  private final Counter csrfRefused;
  private final Counter forbidden;

  ConsoleMetrics(MeterRegistry registry) {
    csrfRefused = Counter.builder("schoolgate.console.csrf.refused")
        .description("console form posts refused for a missing or wrong CSRF token").register(registry);
    forbidden = Counter.builder("schoolgate.console.forbidden")
        .description("console pages refused to a signed-in account for its roles").register(registry);
  }

  void csrfRefused() {
    csrfRefused.increment();
  }

  void forbidden() {
    forbidden.increment();
  }
}
