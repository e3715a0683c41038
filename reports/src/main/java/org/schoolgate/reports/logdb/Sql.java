package org.schoolgate.reports.logdb;

import java.time.Instant;

/** Small helpers for the reports' SQL: literals from trusted values only (user input goes in as parameters). */
public final class Sql {
  private Sql() {}

  /** {@code t} as a TIMESTAMPTZ literal. */
  public static String at(Instant t) {
    return "'" + t.toString() + "'::TIMESTAMPTZ";
  }

  /** {@code time >= from AND time < to}. */
  public static String between(Instant from, Instant to) {
    return "time >= " + at(from) + " AND time < " + at(to);
  }

  /**
   * The category that decided a request: the part of {@code rule} between {@code ':'} and
   * {@code '/'} ({@code matrix:gambling/ks3-4} → {@code gambling}); else the rule itself for
   * blocks no category decided ({@code school-block-list}, {@code sni-mismatch}, {@code
   * fail-closed}); else {@code (none)}.
   */
  public static final String DECIDING_CATEGORY = "coalesce(CASE WHEN rule LIKE '%:%/%' THEN"
      + " split_part(split_part(rule, ':', 2), '/', 1) END, rule, '(none)')";

  /** The group, or {@code (no group)}. */
  public static final String GROUP = "coalesce(\"group\", '(no group)')";

  /** The person: the user, else the client address. */
  public static final String WHO = "coalesce(nullif(\"user\", ''), client, '(unknown)')";

  /**
   * The kind of a filter-bypass attempt, or null: {@code bypass-used}, {@code tunnel-check},
   * {@code internal-destination}, {@code bypass-site}.
   */
  public static final String BYPASS_KIND = "CASE WHEN rule = 'filter-bypass' OR rule LIKE 'filter-bypass:%' THEN 'bypass-used'"
      + " WHEN rule IN ('sni-mismatch', 'missing-sni', 'not-tls', 'ech', 'ip-literal', 'tunnel-port')"
      + " OR split_part(rule, ':', 1) IN ('sni-mismatch', 'missing-sni', 'not-tls', 'ech', 'ip-literal', 'tunnel-port')"
      + " THEN 'tunnel-check'"
      + " WHEN split_part(rule, ':', 1) = 'internal-destination' THEN 'internal-destination'"
      + " WHEN action = 'block' AND list_contains(categories, 'filter-bypass') THEN 'bypass-site' END";
}
