package org.schoolgate.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.TestPolicies;

/** Bad policies are rejected with every error, each naming file:line:field and the fix. */
class PolicyErrorsTest {
  @TempDir Path dir;

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyReader.read(file));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    assertThat(e.errors()).allSatisfy(err -> assertThat(err.file()).isEqualTo(file));
    return e.errors().stream().map(err -> err.line() + ": " + err.field() + ": " + err.message()).toList();
  }

  private static final String GROUPS = """
      groups:
        ks2: { subnets: [10.10.0.0/16] }
        staff: { subnets: [10.30.0.0/16] }
      """;

  @Test
  void unknownKeyIsAnErrorWithASuggestion() {
    assertThat(errors("""
        groups:
          ks2: { subnet: [10.10.0.0/16] }
        """)).containsExactly(
        "2: groups.ks2.subnet: unknown key 'subnet', did you mean 'subnets'? (expected one of: subnets, users, description)");
  }

  @Test
  void unknownCategoryInMatrixIsAnError() {
    assertThat(errors(GROUPS + """
        categories:
          gambling: { domains: [bet365.com] }
        matrix:
          gambling: { default: unacceptable }
          gamblng: { default: unacceptable }
        """)).containsExactly(
        "8: matrix.gamblng: unknown category 'gamblng', did you mean 'gambling'? (expected one of the names under 'categories': gambling)");
  }

  @Test
  void scheduleThatEndsBeforeItStartsIsAnError() {
    assertThat(errors(GROUPS + """
        schedules:
          lunch: { days: [MON, FRI], from: "12:30", to: "12:00" }
        """)).containsExactly(
        "5: schedules.lunch: ends 12:00 before it starts 12:30 (expected: 'to' after 'from')");
  }

  @Test
  void sensitiveThatIsNotTrueOrFalseIsAnError() {
    assertThat(errors(GROUPS + """
        categories:
          extremism: { domains: [extremism.test], sensitive: yes please }
        matrix:
          extremism: { default: unacceptable }
        """)).containsExactly(
        "5: categories.extremism.sensitive: is 'yes please' (expected: true or false)");
  }

  @Test
  void badTunnelValuesAreErrorsWithTheirLineAndField() {
    assertThat(errors(GROUPS + """
        tunnels:
          allowed-ports: [443, 70000, 9000-8000, https]
          ip-allow: [10.0.0.1/8]
          sni-mismatch: { default: maybe, ks3: allow }
          not-tls: sometimes
          fronting: block
        """)).containsExactly(
        "5: tunnels.allowed-ports[1]: '70000' is not a port or port range (expected: 1-65535, e.g. 443 or 8000-8999)",
        "5: tunnels.allowed-ports[2]: '9000-8000' ends before it starts (expected: e.g. 8000-8999)",
        "5: tunnels.allowed-ports[3]: 'https' is not a port or port range (expected: 1-65535, e.g. 443 or 8000-8999)",
        "6: tunnels.ip-allow[0]: '10.0.0.1/8' has host bits set (expected: 10.0.0.0/8)",
        "7: tunnels.sni-mismatch.ks3: unknown key 'ks3', did you mean 'ks2'? (expected one of: default, ks2, staff)",
        "7: tunnels.sni-mismatch.default: is 'maybe' (expected: allow or block)",
        "8: tunnels.not-tls: is 'sometimes' (expected: allow or block)",
        "9: tunnels.fronting: unknown key 'fronting' (expected one of: allowed-ports, ip-allow, ip-literal,"
            + " sni-mismatch, missing-sni, not-tls, ech)");
  }

  @Test
  void badSafeSearchValuesAreErrorsWithTheirLineAndField() {
    assertThat(errors(GROUPS + """
        safesearch:
          search: { default: enforce, staf: off }
          youtube: { default: strictest, staff: moderate, ks2: maybe }
          bing: off
        """)).containsExactly(
        "5: safesearch.search.staf: unknown key 'staf', did you mean 'staff'? (expected one of: default, ks2, staff)",
        "6: safesearch.youtube.default: is 'strictest' (expected: strict, moderate or off)",
        "6: safesearch.youtube.ks2: is 'maybe' (expected: strict, moderate or off)",
        "7: safesearch.bing: unknown key 'bing' (expected one of: search, youtube)");
  }

  @Test
  void bareSafeSearchValueThatIsNotAModeIsAnError() {
    assertThat(errors(GROUPS + """
        safesearch:
          search: on
        """)).containsExactly(
        "5: safesearch.search: is 'on' (expected: enforce or off)");
  }

  @Test
  void emptyTunnelPortListIsAnError() {
    assertThat(errors(GROUPS + """
        tunnels:
          allowed-ports: []
        """)).containsExactly(
        "5: tunnels.allowed-ports: is empty (expected: at least one port, e.g. [443])");
  }

  @Test
  void badCidrIsAnError() {
    assertThat(errors("""
        groups:
          ks2: { subnets: [10.10.0.0/33, 10.10.0.1/16, "fd00::/200", school.example] }
        """)).containsExactly(
        "2: groups.ks2.subnets[0]: '10.10.0.0/33': prefix 33 is out of range (expected: 0-32 for IPv4)",
        "2: groups.ks2.subnets[1]: '10.10.0.1/16' has host bits set (expected: 10.10.0.0/16)",
        "2: groups.ks2.subnets[2]: 'fd00::/200': prefix 200 is out of range (expected: 0-128 for IPv6)",
        "2: groups.ks2.subnets[3]: 'school.example' is not an IPv4 or IPv6 network (expected: e.g. 10.10.0.0/16 or fd00::/8)");
  }

  @Test
  void illegalCategoryWithAGroupOverrideIsAnError() {
    assertThat(errors(GROUPS + """
        categories:
          child-abuse: { domains: [abuse.invalid] }
        matrix:
          child-abuse: { default: illegal, staff: acceptable }
        """)).containsExactly(
        "7: matrix.child-abuse.staff: 'child-abuse' is illegal for everyone, so no group may differ (expected: only { default: illegal })");
  }

  @Test
  void everyErrorIsReportedAtOnceInLineOrder() {
    List<String> found = errors("""
        timezone: Europe/Londn
        groups:
          ks2: { subnets: [10.10.0.0/16] }
        categories:
          games: { domains: [roblox.com], sources: [ut2/games] }
          chat: { domains: ["not a domain"] }
        matrix:
          games: { default: { at-times: [lunhc] } }
          chat: { ks3: unacceptable }
        default: sometimes
        """);
    assertThat(found).containsExactly(
        "1: timezone: unknown time zone 'Europe/Londn' (expected: an IANA zone such as Europe/London)",
        "5: categories.games.sources[0]: unknown list 'ut2' (expected one of: none are declared under 'lists')",
        "6: categories.chat.domains[0]: 'not a domain' is not a domain (expected: e.g. example.com)",
        "8: matrix.games.default.at-times[0]: unknown schedule 'lunhc' (expected one of: none are declared under 'schedules')",
        "9: matrix.chat.ks3: unknown key 'ks3', did you mean 'ks2'? (expected one of: default, ks2)",
        "9: matrix.chat: has no cell for ks2 (expected: a 'default' cell or one per group)",
        "10: default: is 'sometimes' (expected: acceptable or unacceptable)");
  }

  @Test
  void categoryWithoutAMatrixRowIsAnError() {
    assertThat(errors(GROUPS + """
        categories:
          gambling: { domains: [bet365.com] }
          games: { domains: [roblox.com] }
        matrix:
          gambling: { default: unacceptable }
        """)).containsExactly(
        "7: matrix: category 'games' has no row (expected: e.g. games: { default: unacceptable })");
  }

  @Test
  void missingRequiredListIsAnErrorAndOptionalOneAWarning() throws Exception {
    assertThat(errors(GROUPS + """
        lists:
          - { name: ut1, format: squidguard, path: nowhere }
        """)).containsExactly("5: lists.ut1.path: directory " + dir.resolve("nowhere")
        + " does not exist (expected: a squidguard list directory, or required: false)");
    Path file = TestPolicies.write(dir, GROUPS + """
        lists:
          - { name: ut1, format: squidguard, path: nowhere, required: false }
        categories:
          gambling: { sources: [ut1/gambling] }
        matrix:
          gambling: { default: unacceptable }
        """);
    List<PolicyError> warnings = PolicyReader.read(file).warnings();
    assertThat(warnings).extracting(PolicyError::toString).containsExactly(file + ":5: lists.ut1.path: directory "
        + dir.resolve("nowhere") + " does not exist; its categories are empty (required: false)");
  }

  @Test
  void namesThatWouldBreakLogsOrTheMatrixAreErrors() {
    assertThat(errors("""
        groups:
          default: { subnets: [10.10.0.0/16] }
          "year 7": { subnets: [10.20.0.0/16] }
          ks2: {}
        categories:
          "games,chat": { domains: [roblox.com] }
        """)).containsExactly(
        "2: groups.default: 'default' is the matrix's column for groups not named (expected: another group name)",
        "3: groups.year 7: group name 'year 7' has characters other than letters, digits, '-', '_' and '.' (expected: e.g. online-gaming)",
        "6: categories.games,chat: category name 'games,chat' has characters other than letters, digits, '-', '_' and '.' (expected: e.g. online-gaming)");
  }

  @Test
  void missingMatrixNamesEveryCategoryWithoutARow() {
    assertThat(errors(GROUPS + """
        categories:
          gambling: { domains: [bet365.com] }
          blocked: { kind: block-list, domains: [bad.test] }
        """)).containsExactly(
        "1: matrix: category 'gambling' has no row (expected: e.g. gambling: { default: unacceptable })");
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    assertThat(errors("""
        groups:
          ks2: { subnets: [10.10.0.0/16 }
        """)).hasSize(1).first().asString().startsWith("2: : is not valid YAML: ");
  }
}
