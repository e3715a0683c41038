package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;

/** {@code schoolgate check} through {@link Main#execute}, with stdin, stdout and stderr captured. */
class CheckCommandTest {
  private static final String AT_EXPECTED = "(expected: local time in the policy's time zone"
      + " Europe/London such as 2026-11-23T12:30, or ISO-8601 with an offset such as 2026-11-23T12:30:00Z)";

  @TempDir Path dir;
  private Path policy;

  @BeforeEach
  void copyPolicy() throws Exception {
    policy = dir.resolve("policy.yaml");
    try (InputStream in = getClass().getResourceAsStream("policy.yaml")) {
      Files.copy(in, policy);
    }
  }

  @Test
  void printsOneTsvLinePerUrlArgument() throws Exception {
    Cli run = check("", "--policy", policy.toString(), "--client", "10.10.1.2",
        "--at", "2026-11-23T10:30", "http://www.bet.example/spin", "example.org");

    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(""
        + "http://www.bet.example/spin\tblock\tunacceptable\tgambling\tmatrix:gambling/pupils\n"
        + "example.org\tallow\tacceptable\t-\tdefault\n");
  }

  @Test
  void appliesTheUserAndTheTimeInThePolicyZone() throws Exception {
    Cli lunch = check("", "--policy", policy.toString(), "--client", "10.10.1.2",
        "--at", "2026-11-23T12:30", "games.example");
    Cli staffUser = check("", "--policy", policy.toString(), "--client", "10.10.1.2",
        "--user", "j.smith", "--at", "2026-11-23T09:00:00Z", "games.example");

    assertThat(lunch.out()).startsWith("games.example\tallow\tacceptable-at-certain-times\tgames\t");
    assertThat(staffUser.out()).isEqualTo("games.example\tallow\tacceptable\tgames\tmatrix:games/staff\n");
  }

  @Test
  void aUsersDirectoryGroupsChooseTheirGroupAsAfterASignIn() throws Exception {
    Files.writeString(policy, Files.readString(policy) + """
        identification:
          directory-groups:
            - { directory-group: "CN=Staff,OU=Groups,DC=school,DC=example", group: staff }
        """);
    Cli staff = check("", "--policy", policy.toString(), "--client", "10.10.1.2", "--user", "m.jones",
        "--groups", "CN=Teachers,OU=Groups,DC=school,DC=example;CN=Staff,OU=Groups,DC=school,DC=example",
        "--at", "2026-11-23T09:00", "games.example");
    Cli groupsWithoutUser = check("", "--policy", policy.toString(), "--client", "10.10.1.2",
        "--groups", "CN=Staff,OU=Groups,DC=school,DC=example", "games.example");

    assertThat(staff.status()).isZero();
    assertThat(staff.out()).isEqualTo("games.example\tallow\tacceptable\tgames\tmatrix:games/staff\n");
    assertThat(staff.err()).contains("schoolgate check: m.jones is in group staff (by directory-group)");
    assertThat(groupsWithoutUser.status()).isEqualTo(2);
    assertThat(groupsWithoutUser.err()).contains("--user is required (expected: a user name: --groups are that"
        + " user's directory groups)");
  }

  @Test
  void readsUrlsFromStdinOnePerLineSkippingBlanksAndComments() throws Exception {
    Cli run = check("# a comment\nhttp://casino.example/\n\n  example.org  \n",
        "--policy", policy.toString(), "--client", "10.10.1.2", "--at", "2026-11-23T10:30");

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo(""
        + "http://casino.example/\tblock\tunacceptable\tgambling\tmatrix:gambling/pupils\n"
        + "example.org\tallow\tacceptable\t-\tdefault\n");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void decidesOneHundredThousandUrlsFromStdin() throws Exception {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      in.append(i % 2 == 0 ? "http://h" + i + ".bet.example/p?i=" + i : "https://site" + i + ".example.org/")
          .append('\n');
    }

    long start = System.nanoTime();
    Cli run = check(in.toString(), "--policy", policy.toString(), "--client", "10.10.1.2",
        "--at", "2026-11-23T10:30");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(run.status()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(100_000);
    assertThat(lines.get(0)).isEqualTo("http://h0.bet.example/p?i=0\tblock\tunacceptable\tgambling\tmatrix:gambling/pupils");
    assertThat(lines.get(1)).isEqualTo("https://site1.example.org/\tallow\tacceptable\t-\tdefault");
    assertThat(lines.stream().filter(l -> l.contains("\tblock\t"))).hasSize(50_000);
    System.out.println("check decided 100,000 URLs from stdin in " + millis + " ms");
  }

  @Test
  void aBadUrlGetsAnErrorLineAndExitStatus2WhileTheOthersAreDecided() throws Exception {
    Cli run = check("http://exa mple.com/\nexample.org\n",
        "--policy", policy.toString(), "--client", "10.10.1.2", "--at", "2026-11-23T10:30");

    assertThat(run.status()).isEqualTo(2);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("http://exa mple.com/\terror\t-\t-\turl 'http://exa mple.com/' is not a URL: ");
    assertThat(lines.get(1)).isEqualTo("example.org\tallow\tacceptable\t-\tdefault");
  }

  @Test
  void aBadAtSaysWhatIsExpected() throws Exception {
    Cli run = check("", "--policy", policy.toString(), "--client", "10.10.1.2",
        "--at", "23/11/2026 12:30", "example.org");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(
        "schoolgate check: --at '23/11/2026 12:30' is not a date and time " + AT_EXPECTED + "\n");
  }

  @Test
  void aBadClientSaysWhatIsExpected() throws Exception {
    Cli run = check("", "--policy", policy.toString(), "--client", "pupil-pc-7", "example.org");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate check: --client 'pupil-pc-7' is not an IP address"
        + " (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)\n");
  }

  @Test
  void aMissingPolicyOptionIsAUsageError() throws Exception {
    Cli run = check("", "--client", "10.10.1.2", "example.org");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate check: --policy is required"
        + " (expected: the policy YAML file, e.g. --policy policy.yaml)\n"
        + "Run 'schoolgate check --help' for usage.\n");
  }

  @Test
  void aBrokenPolicyExitsWith1AndListsItsErrorsOnStderr() throws Exception {
    Files.writeString(policy, Files.readString(policy)
        .replace("gambling: { default: unacceptable }", "gambling: { default: sometimes }"));

    Cli run = check("", "--policy", policy.toString(), "--client", "10.10.1.2", "example.org");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("schoolgate check: the policy has 1 error:\n  " + policy + ":15: ");
  }

  @Test
  void aClientOutsideEveryServedNetworkIsReportedAsRefused() throws Exception {
    Cli run = check("", "--policy", policy.toString(), "--client", "192.168.7.7", "example.org");

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("example.org\trefuse\t-\t-\tclient-refused\n");
    assertThat(run.err()).startsWith("schoolgate check: client 192.168.7.7 is refused by the policy: ");
  }

  @Test
  void theSamplePolicyBlocksAStarterListGamblingSiteForALocalPupil() throws Exception {
    Path sample = SamplePolicy.extractTo(dir.resolve("sample"));

    Cli run = check("", "--policy", sample.toString(), "--client", "127.0.0.1",
        "--at", "2026-11-23T10:30", "http://www.bet365.com/", "http://127.0.0.1:8000/hello");

    assertThat(run.status()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("http://www.bet365.com/\tblock\t").contains("gambling");
    assertThat(lines.get(1)).startsWith("http://127.0.0.1:8000/hello\tallow\tacceptable\t-\t");
  }

  @Test
  void reportsEveryListsEntriesDuplicatesAndFirstInvalidLinesOnStderr() throws Exception {
    Path hosts = Files.createDirectories(dir.resolve("lists/hosts"));
    Files.writeString(hosts.resolve("ads"), "# ad servers\n0.0.0.0 ads.example\n0.0.0.0 ads.example\n"
        + "ads-without-address.example\n0.0.0.0 bad^.example track.example\n");
    Path sg = dir.resolve("lists/sg");
    Files.createDirectories(sg.resolve("casino"));
    Files.createDirectories(sg.resolve("betting"));
    Files.writeString(sg.resolve("casino/domains"), "casino.test\nstraße.de\nxn--strae-oqa.de\n");
    Files.writeString(sg.resolve("casino/urls"), "casino.test/games/\nxn--a.test/x\n");
    StringBuilder betting = new StringBuilder("bet.test\n");
    for (int i = 1; i <= 25; i++) {
      betting.append("bet ").append(i).append(".test\n");
    }
    Files.writeString(sg.resolve("betting/domains"), betting);
    Files.writeString(dir.resolve("extra.txt"), "games.test\ngames.test\n");
    Path lists = Files.writeString(dir.resolve("lists.yaml"), """
        lists:
          - { name: blocklist, format: hosts, path: lists/hosts }
          - { name: sg, path: lists/sg }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          ads: { sources: [blocklist/ads] }
          gambling: { sources: [sg/casino, sg/betting], domains: [inline.example] }
          games: { files: [extra.txt] }
        matrix:
          ads: { default: unacceptable }
          gambling: { default: unacceptable }
          games: { default: acceptable }
        """);

    Cli run = check("", "--policy", lists.toString(), "--client", "10.1.2.3", "http://www.straße.de/");

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("http://www.straße.de/\tblock\tunacceptable\tgambling\tmatrix:gambling/pupils\n");
    StringBuilder expected = new StringBuilder()
        .append("list blocklist: 1 entries, 1 duplicates, 2 invalid lines\n")
        .append("  ").append(hosts.resolve("ads")).append(":4: not a hosts line (expected: address name,"
            + " e.g. 0.0.0.0 ads.example): ads-without-address.example\n")
        .append("  ").append(hosts.resolve("ads")).append(":5: host 'bad^.example' contains '^'"
            + " (expected: letters, digits, '-' and '.'): 0.0.0.0 bad^.example track.example\n")
        .append("list sg: 4 entries, 1 duplicates, 26 invalid lines\n")
        .append("  ").append(sg.resolve("casino/urls")).append(":2: host 'xn--a.test' is not a valid international"
            + " domain name: an xn-- label does not decode to a label that encodes back to it (expected: a name"
            + " browsers accept, in Unicode or as valid xn-- punycode): xn--a.test/x\n");
    for (int i = 1; i <= 19; i++) {
      expected.append("  ").append(sg.resolve("betting/domains")).append(':').append(i + 1).append(": host 'bet ")
          .append(i).append(".test' contains ' ' (expected: letters, digits, '-' and '.'): bet ").append(i)
          .append(".test\n");
    }
    expected.append("  ... and 6 more invalid lines (the log has each file's count)\n")
        .append("file ").append(dir.resolve("extra.txt")).append(": 1 entries, 1 duplicates, 0 invalid lines\n");
    assertThat(run.err()).isEqualTo(expected.toString());
  }

  @Test
  void helpDescribesTheCommands() throws Exception {
    Cli top = Cli.run("", "--help");
    Cli check = check("", "--help");

    assertThat(top.status()).isZero();
    assertThat(top.out()).contains("schoolgate check --policy FILE --client IP");
    assertThat(check.out()).startsWith("Usage: schoolgate check --policy FILE --client IP");
  }

  private static Cli check(String stdin, String... args) throws Exception {
    List<String> all = new ArrayList<>();
    all.add("check");
    all.addAll(List.of(args));
    return Cli.run(stdin, all.toArray(String[]::new));
  }
}
