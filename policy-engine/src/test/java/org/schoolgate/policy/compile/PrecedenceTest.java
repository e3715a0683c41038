package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;

/** The precedence of {@code decide}, as one table: illegal → block list → allow list → matrix → default. */
class PrecedenceTest {
  @TempDir static Path dir;
  static CompiledPolicy policy;

  @BeforeAll
  static void compile() {
    policy = TestPolicies.compile(dir, """
        timezone: Europe/London
        schedules:
          lunch: { days: [MON, TUE, WED, THU, FRI], from: "12:00", to: "13:15" }
        groups:
          pupils: { subnets: [10.10.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
        categories:
          illegal-stuff: { domains: [illegal.test, illegal-allowed.test, illegal-blocked.test, illegal-nominated.test] }
          school-blocked: { kind: block-list, domains: [blocked-allowed.test, illegal-blocked.test, blocked.test] }
          school-allowed: { kind: allow-list, domains: [illegal-allowed.test, blocked-allowed.test, allowed-bad.test] }
          bad:       { domains: [allowed-bad.test, bad-fine.test, bad.test] }
          fine:      { domains: [bad-fine.test, fine.test, lunch-fine.test] }
          lunchtime: { domains: [lunch-fine.test, lunch-named.test] }
          named:     { domains: [lunch-named.test, illegal-nominated.test, named.test] }
        matrix:
          illegal-stuff: { default: illegal }
          bad:       { default: unacceptable, staff: acceptable }
          fine:      { default: acceptable }
          lunchtime: { default: { at-times: [lunch] } }
          named:     { default: { nominated: { users: [alice], groups: [staff] } } }
        default: acceptable
        """);
  }

  @ParameterizedTest(name = "{0} for {1}/{2} at {3} → {4} by {5} ({6})")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # host                  | group   | user  | London time      | action | rule              | deciding category
      illegal.test            | pupils  | -     | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff
      illegal-allowed.test    | staff   | -     | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff
      illegal-blocked.test    | staff   | -     | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff
      illegal-nominated.test  | staff   | alice | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff
      blocked-allowed.test    | staff   | -     | 2026-11-23T10:00 | BLOCK  | SCHOOL_BLOCK_LIST | school-blocked
      blocked.test            | staff   | alice | 2026-11-23T12:30 | BLOCK  | SCHOOL_BLOCK_LIST | school-blocked
      allowed-bad.test        | pupils  | -     | 2026-11-23T10:00 | ALLOW  | SCHOOL_ALLOW_LIST | school-allowed
      bad.test                | pupils  | -     | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad
      bad.test                | staff   | -     | 2026-11-23T10:00 | ALLOW  | MATRIX            | bad
      bad-fine.test           | pupils  | -     | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad
      fine.test               | pupils  | -     | 2026-11-23T10:00 | ALLOW  | MATRIX            | fine
      lunch-fine.test         | pupils  | -     | 2026-11-23T10:00 | BLOCK  | MATRIX            | lunchtime
      lunch-fine.test         | pupils  | -     | 2026-11-23T12:30 | ALLOW  | MATRIX            | lunchtime
      lunch-named.test        | pupils  | alice | 2026-11-23T12:30 | ALLOW  | MATRIX            | named
      lunch-named.test        | pupils  | alice | 2026-11-23T10:00 | BLOCK  | MATRIX            | lunchtime
      lunch-named.test        | pupils  | bob   | 2026-11-23T12:30 | BLOCK  | MATRIX            | named
      named.test              | staff   | -     | 2026-11-23T10:00 | ALLOW  | MATRIX            | named
      unlisted.test           | pupils  | -     | 2026-11-23T10:00 | ALLOW  | DEFAULT           | -
      fine.test               | nobody  | -     | 2026-11-23T10:00 | BLOCK  | FAIL_CLOSED       | -
      """)
  void precedenceDecides(String host, String group, String user, String time, Action action, Rule rule,
      String deciding) {
    Decision d = policy.decide(facts(group, user, host, "/", london(time)));
    assertThat(d.action()).as(d.reason()).isEqualTo(action);
    assertThat(d.rule()).as(d.reason()).isEqualTo(rule);
    assertThat(d.decidingCategory() == null ? null : d.decidingCategory().value()).isEqualTo(deciding);
  }
}
