package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;

/**
 * The precedence of identity sources as one table: proxy credentials → logon session / RADIUS →
 * sign-in binding → subnet, per network settings; stale bindings, unknown users, people in no
 * mapped group and a directory outage never widen a group.
 */
class WhoIsAskingTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final String YEAR9 = "cn=Year9,ou=Groups,dc=school,dc=example;cn=KS3,ou=Groups,dc=school,dc=example";
  static final String STAFF = "cn=Teachers,ou=Groups,dc=school,dc=example;cn=Staff,ou=Groups,dc=school,dc=example";
  @TempDir static Path dir;
  static PolicySnapshot policy;

  @BeforeAll
  static void compile() {
    policy = TestPolicies.compile(dir, PolicyFixtures.SCHOOL);
  }

  /** {@code verified:user:groups}, {@code refused}, {@code unavailable}, or null. */
  private static Verification credentials(String text) {
    if (text == null) {
      return null;
    }
    String[] p = text.split(":", 3);
    return switch (p[0]) {
      case "basic", "negotiate" -> new Verification.Verified(p[1], groups(p.length > 2 ? p[2] : ""),
          p[0].equals("basic") ? AuthMethod.BASIC : AuthMethod.NEGOTIATE);
      case "refused" -> new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, Verification.WRONG);
      case "unavailable" -> new Verification.Unavailable("the directory is not answering");
      default -> throw new IllegalArgumentException(text);
    };
  }

  /** {@code session:user[:groups][:ended]}, {@code radius:...}, {@code portal:...}, or null. */
  private static AddressBinding binding(String text) {
    if (text == null) {
      return null;
    }
    String[] p = text.split(":", 4);
    boolean ended = p.length > 3 && p[3].equals("ended");
    return new AddressBinding(p[1], java.util.Set.copyOf(groups(p.length > 2 ? p[2] : "")),
        AuthMethod.valueOf(p[0].toUpperCase(java.util.Locale.ROOT)), ended ? NOW : NOW.plusSeconds(3600));
  }

  private static List<String> groups(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(";"));
  }

  @ParameterizedTest(name = "[{index}] {0} creds={1} binding={2} lookup={3} → {4} {5} {6}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # client    | credentials                 | binding                        | groups looked up   | answer      | group  | user/auth
      # staff PCs: proxy-auth required (negotiate, basic)
      10.30.1.5   | negotiate:carol:STAFF       | -                              | -                  | KNOWN       | staff  | carol/negotiate
      10.30.1.5   | basic:alice:YEAR9           | session:carol:STAFF            | -                  | KNOWN       | ks3-4  | alice/basic
      10.30.1.5   | -                           | session:carol:STAFF            | -                  | CHALLENGE   | -      | -
      10.30.1.5   | refused                     | -                              | -                  | CHALLENGE   | -      | -
      10.30.1.5   | unavailable                 | session:carol:STAFF            | -                  | UNAVAILABLE | -      | -
      10.30.1.5   | basic:newstarter            | -                              | -                  | KNOWN       | staff  | newstarter/basic
      # pupil PCs: proxy-auth optional (basic), logon sessions trusted, RADIUS ignored
      10.20.1.5   | -                           | -                              | -                  | KNOWN       | ks3-4  | -/subnet
      10.20.1.5   | basic:carol:STAFF           | session:alice:YEAR9            | -                  | KNOWN       | staff  | carol/basic
      10.20.1.5   | refused                     | session:alice:YEAR9            | -                  | CHALLENGE   | -      | -
      10.20.1.5   | unavailable                 | session:carol:STAFF            | -                  | KNOWN       | staff  | carol/session
      10.20.1.5   | unavailable                 | -                              | -                  | KNOWN       | ks3-4  | -/subnet
      10.20.1.5   | -                           | session:carol:STAFF            | -                  | KNOWN       | staff  | carol/session
      10.20.1.5   | -                           | session:carol                  | basic:carol:STAFF  | KNOWN       | staff  | carol/session
      10.20.1.5   | -                           | session:carol                  | unavailable        | KNOWN       | ks3-4  | carol/session
      10.20.1.5   | -                           | session:carol:STAFF:ended      | -                  | KNOWN       | ks3-4  | -/subnet
      10.20.1.5   | -                           | radius:carol:STAFF             | -                  | KNOWN       | ks3-4  | -/subnet
      10.20.1.5   | -                           | portal:carol:STAFF             | -                  | KNOWN       | ks3-4  | -/subnet
      10.20.1.5   | -                           | session:visitor:cn=Library,dc=s | -                 | KNOWN       | ks3-4  | visitor/session
      # BYOD: sign-in page required, logon sessions ignored, no proxy-auth (credentials are not read)
      10.99.1.5   | basic:carol:STAFF           | -                              | -                  | SIGN_IN     | guests | -
      10.99.1.5   | -                           | -                              | -                  | SIGN_IN     | guests | -
      10.99.1.5   | -                           | portal:alice:YEAR9:ended       | -                  | SIGN_IN     | guests | -
      10.99.1.5   | -                           | portal:alice:YEAR9             | -                  | KNOWN       | ks3-4  | alice/portal
      10.99.1.5   | -                           | radius:alice:YEAR9             | -                  | KNOWN       | ks3-4  | alice/radius
      10.99.1.5   | -                           | session:carol:STAFF            | -                  | SIGN_IN     | guests | -
      10.99.1.5   | -                           | portal:stranger                | -                  | KNOWN       | guests | stranger/portal
      # other allowed clients: the unknown-client group; outside: refused, even with credentials
      10.77.1.5   | -                           | session:carol:STAFF            | -                  | KNOWN       | staff  | carol/session
      192.0.2.1   | basic:carol:STAFF           | -                              | -                  | REFUSED     | -      | -
      """)
  void sourcesAreConsultedInOrder(String client, String creds, String bound, String lookedUp, String answer,
      String group, String userAndAuth) throws Exception {
    String c = creds == null ? null : creds.replace("STAFF", STAFF).replace("YEAR9", YEAR9);
    String b = bound == null ? null : bound.replace("STAFF", STAFF).replace("YEAR9", YEAR9);
    String g = lookedUp == null ? null : lookedUp.replace("STAFF", STAFF).replace("YEAR9", YEAR9);

    Who who = WhoIsAsking.identify(policy, InetAddress.getByName(client), NOW, credentials(c), binding(b),
        credentials(g));

    switch (answer) {
      case "KNOWN" -> {
        assertThat(who).as("%s", who).isInstanceOf(Who.Known.class);
        Who.Known k = (Who.Known) who;
        assertThat(k.group().value()).isEqualTo(group);
        String[] ua = userAndAuth.split("/");
        assertThat(k.user()).isEqualTo(ua[0].equals("-") ? null : ua[0]);
        assertThat(k.method().logName()).isEqualTo(ua[1]);
        if (k.user() != null) {
          assertThat(k.person().user()).isEqualTo(k.user());
        }
      }
      case "CHALLENGE" -> {
        assertThat(who).as("%s", who).isInstanceOf(Who.Challenge.class);
        assertThat(((Who.Challenge) who).schemes()).isNotEmpty();
      }
      case "SIGN_IN" -> {
        assertThat(who).as("%s", who).isInstanceOf(Who.SignInPage.class);
        Who.Known before = ((Who.SignInPage) who).beforeSigningIn();
        assertThat(before.group().value()).as("only the sign-in hosts, for the subnet's group").isEqualTo(group);
        assertThat(before.user()).isNull();
      }
      case "UNAVAILABLE" -> assertThat(who).as("%s", who).isInstanceOf(Who.Unavailable.class);
      default -> assertThat(who).as("%s", who).isInstanceOf(Who.Refused.class);
    }
  }
  @ParameterizedTest(name = "[{index}] redirected {0} binding={1} → {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # client    | binding                        | answer
      10.99.1.5   | -                              | SIGN_IN
      10.99.1.5   | portal:alice:YEAR9:ended       | SIGN_IN
      10.99.1.5   | portal:alice:YEAR9             | KNOWN
      10.30.1.5   | -                              | CHALLENGE
      10.20.1.5   | -                              | KNOWN
      """)
  void aRedirectedDeviceIsKnownByItsAddressOrSentToTheSignInPage(String client, String bound,
      String answer) throws Exception {
    String b = bound == null ? null : bound.replace("STAFF", STAFF).replace("YEAR9", YEAR9);

    Who who = WhoIsAsking.byAddress(policy, InetAddress.getByName(client), NOW, binding(b), null);

    switch (answer) {
      case "SIGN_IN" -> assertThat(who).as("%s", who).isInstanceOf(Who.SignInPage.class);
      case "CHALLENGE" -> assertThat(who).as("%s", who).isInstanceOf(Who.Challenge.class);
      default -> assertThat(who).as("%s", who).isInstanceOf(Who.Known.class);
    }
  }
}
