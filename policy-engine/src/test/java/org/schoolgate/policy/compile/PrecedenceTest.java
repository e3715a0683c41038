package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.london;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TestUnblocks;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;

/**
 * The precedence of {@code decide}, as one table: illegal → unblock / filter bypass (only what
 * would otherwise be blocked) → block list → allow list → matrix → default; fail closed is never
 * lifted. A person's directory groups (written {@code user{group;group}}) count for nominated
 * cells and unblock scopes like user names. Then the content verdicts of allowed responses
 * ({@code decideContent}): a block stands unless the school allow list, an unblock or a filter
 * bypass let the site through (then it is an alert for the DSL); a blocked request (illegal, fail
 * closed, ...) has nothing to analyse.
 */
class PrecedenceTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;

  @BeforeAll
  static void compile() {
    CompiledPolicy compiled = TestPolicies.compile(dir, """
        timezone: Europe/London
        schedules:
          lunch: { days: [MON, TUE, WED, THU, FRI], from: "12:00", to: "13:15" }
        groups:
          pupils: { subnets: [10.10.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
          guests: { subnets: [10.99.0.0/16] }
        categories:
          illegal-stuff: { domains: [illegal.test, illegal-allowed.test, illegal-blocked.test, illegal-nominated.test, illegal-unblocked.test] }
          school-blocked: { kind: block-list, domains: [blocked-allowed.test, illegal-blocked.test, blocked.test, school-blocked-unblocked.test] }
          school-allowed: { kind: allow-list, domains: [illegal-allowed.test, blocked-allowed.test, allowed-bad.test] }
          bad:       { domains: [allowed-bad.test, bad-fine.test, bad.test, unblocked-bad.test, url-bad.test, dicey-bad.test] }
          fine:      { domains: [bad-fine.test, fine.test, lunch-fine.test, covered-fine.test] }
          lunchtime: { domains: [lunch-fine.test, lunch-named.test] }
          named:     { domains: [lunch-named.test, illegal-nominated.test, named.test] }
          dicey:     { domains: [dicey.test, dicey-bad.test] }
        matrix:
          illegal-stuff: { default: illegal }
          bad:       { default: unacceptable, staff: acceptable }
          fine:      { default: acceptable }
          lunchtime: { default: { at-times: [lunch] } }
          named:     { default: { nominated: { users: [alice], groups: [staff], directory-groups: ["CN=Nominees,OU=Groups,DC=s"] } } }
          dicey:     { default: unacceptable }
        default: acceptable
        downloads:
          groups:
            pupils: [executable, script]
            staff: []
        """);
    // All on Monday 23 November 2026, London time (GMT).
    policy = compiled.withUnblocks(UnblockSet.compile(List.of(
        TestUnblocks.forGroup(11, new UnblockTarget.Domain("unblocked-bad.test"), "pupils", "09:00", "11:00"),
        TestUnblocks.forGroup(19, new UnblockTarget.Domain("www.unblocked-bad.test"), "pupils", "09:30", "12:00"),
        TestUnblocks.forGroup(12, new UnblockTarget.Domain("illegal-unblocked.test"), "pupils", "09:00", "17:00"),
        TestUnblocks.forGroup(13, new UnblockTarget.Domain("school-blocked-unblocked.test"), "staff", "09:00", "17:00"),
        TestUnblocks.forGroup(14, new UnblockTarget.UrlPrefix("url-bad.test", "/maths/"), "pupils", "09:00", "17:00"),
        TestUnblocks.forUser(15, TestUnblocks.category("dicey"), "carol", "09:00", "17:00"),
        TestUnblocks.forSubnet(16, TestUnblocks.category("bad"), "10.10.7.0/24", "09:00", "17:00"),
        TestUnblocks.forUser(17, TestUnblocks.category("school-blocked"), "dave", "09:00", "17:00"),
        TestUnblocks.forUser(18, new UnblockTarget.Everything(), "erin", "09:00", "17:00"),
        TestUnblocks.unblock(20, TestUnblocks.category("dicey"),
            new org.schoolgate.policy.UnblockScope(java.util.Set.of(), java.util.Set.of(), List.of(),
                java.util.Set.of("10X")), "09:00", "17:00"),
        TestUnblocks.forGroup(21, new UnblockTarget.Domain("covered-fine.test"), "pupils", "09:00", "17:00"))));
  }

  @ParameterizedTest(name = "{0} for {1}/{2} from {3} at {4} → {5} by {6} ({7}, unblock {8})")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # host[/path]                 | group   | user  | client    | London time      | action | rule              | deciding       | unblock
      illegal.test                  | pupils  | -     | -         | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff  | -
      illegal-allowed.test          | staff   | -     | -         | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff  | -
      illegal-blocked.test          | staff   | -     | -         | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff  | -
      illegal-nominated.test        | staff   | alice | -         | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff  | -
      blocked-allowed.test          | staff   | -     | -         | 2026-11-23T10:00 | BLOCK  | SCHOOL_BLOCK_LIST | school-blocked | -
      blocked.test                  | staff   | alice | -         | 2026-11-23T12:30 | BLOCK  | SCHOOL_BLOCK_LIST | school-blocked | -
      allowed-bad.test              | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | SCHOOL_ALLOW_LIST | school-allowed | -
      bad.test                      | pupils  | -     | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad            | -
      bad.test                      | staff   | -     | -         | 2026-11-23T10:00 | ALLOW  | MATRIX            | bad            | -
      bad-fine.test                 | pupils  | -     | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad            | -
      fine.test                     | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | MATRIX            | fine           | -
      lunch-fine.test               | pupils  | -     | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | lunchtime      | -
      lunch-fine.test               | pupils  | -     | -         | 2026-11-23T12:30 | ALLOW  | MATRIX            | lunchtime      | -
      lunch-named.test              | pupils  | alice | -         | 2026-11-23T12:30 | ALLOW  | MATRIX            | named          | -
      lunch-named.test              | pupils  | alice | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | lunchtime      | -
      lunch-named.test              | pupils  | bob   | -         | 2026-11-23T12:30 | BLOCK  | MATRIX            | named          | -
      named.test                    | staff   | -     | -         | 2026-11-23T10:00 | ALLOW  | MATRIX            | named          | -
      unlisted.test                 | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | DEFAULT           | -              | -
      fine.test                     | nobody  | -     | -         | 2026-11-23T10:00 | BLOCK  | FAIL_CLOSED       | -              | -
      # domain unblocks: the domain and below, from <= at < until, for the scope only
      unblocked-bad.test            | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 11
      unblocked-bad.test            | pupils  | -     | -         | 2026-11-23T09:00 | ALLOW  | UNBLOCK           | bad            | 11
      unblocked-bad.test            | pupils  | -     | -         | 2026-11-23T08:59 | BLOCK  | MATRIX            | bad            | -
      unblocked-bad.test            | pupils  | -     | -         | 2026-11-23T11:00 | BLOCK  | MATRIX            | bad            | -
      unblocked-bad.test            | guests  | -     | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad            | -
      unblocked-bad.test            | staff   | -     | -         | 2026-11-23T10:00 | ALLOW  | MATRIX            | bad            | -
      # two unblocks match www.unblocked-bad.test: the one in force longest is named
      www.unblocked-bad.test        | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 19
      www.unblocked-bad.test        | pupils  | -     | -         | 2026-11-23T11:30 | ALLOW  | UNBLOCK           | bad            | 19
      # illegal beats every unblock and bypass; a domain unblock lifts the school block list
      illegal-unblocked.test        | pupils  | erin  | -         | 2026-11-23T10:00 | BLOCK  | ILLEGAL_CATEGORY  | illegal-stuff  | -
      school-blocked-unblocked.test | staff   | -     | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | school-blocked | 13
      # URL prefix unblocks: that path only
      url-bad.test/maths/odds?x=1   | pupils  | -     | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 14
      url-bad.test/music/           | pupils  | -     | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad            | -
      # category unblocks: allowed only when every blocking category is unblocked for the request
      dicey.test                    | pupils  | carol | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | dicey          | 15
      dicey.test                    | pupils  | bob   | -         | 2026-11-23T10:00 | BLOCK  | MATRIX            | dicey          | -
      dicey-bad.test                | pupils  | carol | 10.10.1.5 | 2026-11-23T10:00 | BLOCK  | MATRIX            | bad            | -
      dicey-bad.test                | pupils  | carol | 10.10.7.5 | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 16
      bad.test                      | pupils  | -     | 10.10.7.5 | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 16
      blocked.test                  | staff   | dave  | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | school-blocked | 17
      # a filter bypass lifts anything but illegal; a host unblock is named before it
      bad.test                      | pupils  | erin  | -         | 2026-11-23T10:00 | ALLOW  | FILTER_BYPASS     | bad            | 18
      blocked.test                  | staff   | erin  | -         | 2026-11-23T10:00 | ALLOW  | FILTER_BYPASS     | school-blocked | 18
      bad.test                      | pupils  | erin  | -         | 2026-11-23T17:00 | BLOCK  | MATRIX            | bad            | -
      unblocked-bad.test            | pupils  | erin  | -         | 2026-11-23T10:00 | ALLOW  | UNBLOCK           | bad            | 11
      fine.test                     | pupils  | erin  | -         | 2026-11-23T10:00 | ALLOW  | MATRIX            | fine           | -
      # a person's directory groups (user{group;group}): nominations and unblock scopes
      named.test                    | pupils  | bob{CN=Nominees,OU=Groups,DC=s} | - | 2026-11-23T10:00 | ALLOW | MATRIX | named | -
      named.test                    | pupils  | bob{Nominees} | -   | 2026-11-23T10:00 | BLOCK  | MATRIX            | named          | -
      named.test                    | pupils  | bob{cn=nominees, ou=groups, dc=s} | - | 2026-11-23T10:00 | ALLOW | MATRIX | named | -
      named.test                    | pupils  | bob{CN=Others,DC=s} | - | 2026-11-23T10:00 | BLOCK  | MATRIX            | named          | -
      lunch-named.test              | pupils  | bob{CN=Nominees,OU=Groups,DC=s} | - | 2026-11-23T10:00 | BLOCK | MATRIX | lunchtime | -
      lunch-named.test              | pupils  | bob{CN=Nominees,OU=Groups,DC=s} | - | 2026-11-23T12:30 | ALLOW | MATRIX | named | -
      dicey.test                    | pupils  | bob{CN=10X,OU=Classes,DC=s} | - | 2026-11-23T10:00 | ALLOW | UNBLOCK  | dicey          | 20
      dicey.test                    | pupils  | bob{CN=11Y,OU=Classes,DC=s} | - | 2026-11-23T10:00 | BLOCK | MATRIX   | dicey          | -
      dicey.test                    | pupils  | bob{CN=10X,OU=Classes,DC=s} | - | 2026-11-23T17:00 | BLOCK | MATRIX   | dicey          | -
      illegal-nominated.test        | pupils  | bob{CN=Nominees,OU=Groups,DC=s} | - | 2026-11-23T10:00 | BLOCK | ILLEGAL_CATEGORY | illegal-stuff | -
      # fail closed is never lifted
      fine.test                     | nobody  | erin  | -         | 2026-11-23T10:00 | BLOCK  | FAIL_CLOSED       | -              | -
      [::1                          | pupils  | erin  | -         | 2026-11-23T10:00 | BLOCK  | FAIL_CLOSED       | -              | -
      """)
  void precedenceDecides(String target, String group, String user, String client, String time, Action action,
      Rule rule, String deciding, Long unblock) throws Exception {
    int slash = target.indexOf('/');
    String host = slash < 0 ? target : target.substring(0, slash);
    String path = slash < 0 ? "/" : target.substring(slash);
    org.schoolgate.policy.Person person = null;
    if (user != null && user.contains("{")) {
      String groups = user.substring(user.indexOf('{') + 1, user.length() - 1);
      user = user.substring(0, user.indexOf('{'));
      person = org.schoolgate.policy.Person.of(user, List.of(groups.split(";")));
    }
    Decision d = policy.decide(new RequestFacts(new GroupId(group), user, host, path, london(time),
        client == null ? null : InetAddress.getByName(client), person));
    assertThat(d.action()).as(d.reason()).isEqualTo(action);
    assertThat(d.rule()).as(d.reason()).isEqualTo(rule);
    assertThat(d.decidingCategory() == null ? null : d.decidingCategory().value()).isEqualTo(deciding);
    assertThat(d.unblock() == null ? null : d.unblock().value()).as(d.reason()).isEqualTo(unblock);
  }

  @ParameterizedTest(name = "{0} for {1}/{2} at {3}, content {4} → {5} (lifted by {6})")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # host[/path]                 | group   | user  | London time      | verdict | decision | lifted by
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | block   | BLOCK    | -
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | alert   | ALERT    | -
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | log     | LOG      | -
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | clean   | NONE     | -
      unlisted.test                 | pupils  | -     | 2026-11-23T10:00 | block   | BLOCK    | -
      bad.test                      | staff   | -     | 2026-11-23T10:00 | block   | BLOCK    | -
      lunch-fine.test               | pupils  | -     | 2026-11-23T12:30 | block   | BLOCK    | -
      # the school allow list, an unblock or a filter bypass lift a content block to an alert
      allowed-bad.test              | pupils  | -     | 2026-11-23T10:00 | block   | ALERT    | SCHOOL_ALLOW_LIST
      unblocked-bad.test            | pupils  | -     | 2026-11-23T10:00 | block   | ALERT    | UNBLOCK
      url-bad.test/maths/odds       | pupils  | -     | 2026-11-23T10:00 | block   | ALERT    | UNBLOCK
      bad.test                      | pupils  | erin  | 2026-11-23T10:00 | block   | ALERT    | FILTER_BYPASS
      allowed-bad.test              | pupils  | -     | 2026-11-23T10:00 | alert   | ALERT    | -
      # ... also when the matrix allowed the site anyway: the unblock or bypass in force covers it
      covered-fine.test             | pupils  | -     | 2026-11-23T10:00 | block   | ALERT    | UNBLOCK
      www.covered-fine.test/a       | pupils  | -     | 2026-11-23T10:00 | block   | ALERT    | UNBLOCK
      covered-fine.test             | pupils  | -     | 2026-11-23T17:00 | block   | BLOCK    | -
      covered-fine.test             | staff   | -     | 2026-11-23T10:00 | block   | BLOCK    | -
      fine.test                     | pupils  | erin  | 2026-11-23T10:00 | block   | ALERT    | FILTER_BYPASS
      unlisted.test                 | pupils  | erin  | 2026-11-23T10:00 | block   | ALERT    | FILTER_BYPASS
      fine.test                     | pupils  | erin  | 2026-11-23T17:00 | block   | BLOCK    | -
      # a blocked request has no response to analyse: illegal is never lifted, not even by a bypass
      illegal-allowed.test          | staff   | -     | 2026-11-23T10:00 | clean   | NONE     | -
      illegal-unblocked.test        | pupils  | erin  | 2026-11-23T10:00 | block   | NONE     | -
      bad.test                      | pupils  | -     | 2026-11-23T10:00 | block   | NONE     | -
      blocked-allowed.test          | staff   | -     | 2026-11-23T10:00 | block   | NONE     | -
      fine.test                     | nobody  | erin  | 2026-11-23T10:00 | block   | NONE     | -
      """)
  void contentVerdictsComeAfterTheRequestsDecision(String target, String group, String user, String time,
      String verdict, String decision, Rule liftedBy) {
    int slash = target.indexOf('/');
    String host = slash < 0 ? target : target.substring(0, slash);
    String path = slash < 0 ? "/" : target.substring(slash);
    Decision request = policy.decide(new RequestFacts(new GroupId(group), user, host, path, london(time), null));
    org.schoolgate.policy.content.ContentDecision d = policy.decideContent(request, verdict(verdict));
    assertThat(d.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT)).as(d.reason()).isEqualTo(decision);
    if (d instanceof org.schoolgate.policy.content.ContentDecision.Alert a) {
      assertThat(a.blockLifted()).as(a.reason()).isEqualTo(liftedBy != null);
      if (liftedBy != null) {
        assertThat(a.liftedBy()).isEqualTo(liftedBy);
        assertThat(a.reason()).contains("the DSL is alerted").contains(liftedBy.logName());
      }
    } else {
      assertThat(liftedBy).isNull();
    }
  }

  @ParameterizedTest(name = "{0} for {1}/{2} at {3}, a download of {4} → {5} (lifted by {6})")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # host[/path]                 | group   | user  | London time      | file kind  | decision | lifted by
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | EXECUTABLE | BLOCK    | -
      unlisted.test                 | pupils  | -     | 2026-11-23T10:00 | SCRIPT     | BLOCK    | -
      fine.test                     | pupils  | -     | 2026-11-23T10:00 | ARCHIVE    | PASS     | -
      fine.test                     | staff   | -     | 2026-11-23T10:00 | EXECUTABLE | PASS     | -
      fine.test                     | guests  | -     | 2026-11-23T10:00 | EXECUTABLE | PASS     | -
      # the school allow list, an unblock of the site or a filter bypass let the file through (logged)
      allowed-bad.test              | pupils  | -     | 2026-11-23T10:00 | EXECUTABLE | LIFTED   | SCHOOL_ALLOW_LIST
      unblocked-bad.test            | pupils  | -     | 2026-11-23T10:00 | EXECUTABLE | LIFTED   | UNBLOCK
      covered-fine.test             | pupils  | -     | 2026-11-23T10:00 | EXECUTABLE | LIFTED   | UNBLOCK
      covered-fine.test             | pupils  | -     | 2026-11-23T17:00 | EXECUTABLE | BLOCK    | -
      fine.test                     | pupils  | erin  | 2026-11-23T10:00 | SCRIPT     | LIFTED   | FILTER_BYPASS
      # a category unblock that let a blocked request through covers it as well
      dicey.test                    | pupils  | carol | 2026-11-23T10:00 | EXECUTABLE | LIFTED   | UNBLOCK
      # a blocked request has no file: illegal is never lifted
      illegal-unblocked.test        | pupils  | erin  | 2026-11-23T10:00 | EXECUTABLE | PASS     | -
      bad.test                      | pupils  | -     | 2026-11-23T10:00 | EXECUTABLE | PASS     | -
      """)
  void downloadsByTypeComeAfterTheRequestsDecision(String target, String group, String user, String time,
      org.schoolgate.policy.download.FileKind kind, String decision, Rule liftedBy) {
    int slash = target.indexOf('/');
    String host = slash < 0 ? target : target.substring(0, slash);
    String path = slash < 0 ? "/" : target.substring(slash);
    Decision request = policy.decide(new RequestFacts(new GroupId(group), user, host, path, london(time), null));
    var file = new org.schoolgate.policy.download.Detected(kind, org.schoolgate.policy.download.Evidence.BYTES, "test");
    org.schoolgate.policy.download.DownloadDecision d = policy.decideDownload(request, file);
    assertThat(d.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT)).as(d.reason()).isEqualTo(decision);
    if (d instanceof org.schoolgate.policy.download.DownloadDecision.Lifted l) {
      assertThat(l.by().rule()).isEqualTo(liftedBy);
      assertThat(l.reason()).contains(liftedBy.logName()).contains("logged");
    } else {
      assertThat(liftedBy).isNull();
    }
    if (d instanceof org.schoolgate.policy.download.DownloadDecision.Block b) {
      assertThat(b.rule()).isEqualTo("download:" + kind.configName());
      assertThat(b.reason()).contains("may not be downloaded by " + group);
    }
  }

  private static org.schoolgate.policy.content.ContentVerdict verdict(String kind) {
    var theme = org.schoolgate.policy.content.ContentTheme.SELF_HARM;
    var top = List.of(new org.schoolgate.policy.content.ContentVerdict.PhraseHit("kill myself", 60, 2));
    switch (kind) {
      case "clean":
        return org.schoolgate.policy.content.ContentVerdict.Clean.INSTANCE;
      case "log": {
        var hit = new org.schoolgate.policy.content.ContentVerdict.ThemeHit(theme,
            org.schoolgate.policy.content.ContentAction.LOG, 120, 100, top);
        return new org.schoolgate.policy.content.ContentVerdict.Log(hit, List.of(hit));
      }
      case "alert": {
        var hit = new org.schoolgate.policy.content.ContentVerdict.ThemeHit(theme,
            org.schoolgate.policy.content.ContentAction.ALERT, 120, 100, top);
        return new org.schoolgate.policy.content.ContentVerdict.Alert(hit, List.of(hit));
      }
      default: {
        var hit = new org.schoolgate.policy.content.ContentVerdict.ThemeHit(theme,
            org.schoolgate.policy.content.ContentAction.BLOCK, 120, 100, top);
        return new org.schoolgate.policy.content.ContentVerdict.Block(hit, List.of(hit));
      }
    }
  }
}
