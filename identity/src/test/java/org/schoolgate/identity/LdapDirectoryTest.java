package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.PasswordSource;
import org.schoolgate.identity.verify.SourceDownException;

/** Passwords and nested groups against a real in-process LDAP directory over LDAPS and StartTLS. */
class LdapDirectoryTest {
  @TempDir Path dir;
  TestDirectory directory;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  IdentityMetrics metrics = new IdentityMetrics(registry);

  @BeforeEach
  void start() throws Exception {
    directory = new TestDirectory(dir);
  }

  @AfterEach
  void stop() {
    directory.close();
  }

  private static String g(String cn) {
    return "cn=" + cn + ",ou=groups,dc=school,dc=example";
  }

  @ParameterizedTest
  @EnumSource(LdapSettings.Membership.class)
  void aPupilsPasswordIsCheckedByBindingAsThePupilAndNestedGroupsAreWalked(LdapSettings.Membership membership)
      throws Exception {
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(membership), metrics)) {
      PasswordSource.Answer answer = ldap.authenticate("alice", "alice-pass-1".toCharArray());

      assertThat(answer).isInstanceOf(PasswordSource.Found.class);
      PasswordSource.Found found = (PasswordSource.Found) answer;
      assertThat(found.user()).isEqualTo("alice");
      assertThat(found.groups()).map(s -> s.toLowerCase(java.util.Locale.ROOT))
          .containsExactlyInAnyOrder(g("year9"), g("10x-maths"), g("ks3"), g("pupils"));
      assertThat(directory.userBinds("alice")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(LdapSettings.Membership.class)
  void staffAreInTheirNestedStaffGroup(LdapSettings.Membership membership) throws Exception {
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(membership), metrics)) {
      PasswordSource.Found carol = (PasswordSource.Found) ldap.groups("carol");
      assertThat(carol.groups()).map(s -> s.toLowerCase(java.util.Locale.ROOT))
          .containsExactlyInAnyOrder(g("teachers"), g("staff"), g("social media team"));
      assertThat(directory.userBinds("carol")).isZero();
    }
  }

  @Test
  void aWrongPasswordAnUnknownUserAndAnEmptyPasswordAreRefused() throws Exception {
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), metrics)) {
      assertThat(ldap.authenticate("alice", "wrong".toCharArray())).isInstanceOf(PasswordSource.WrongPassword.class);
      assertThat(ldap.authenticate("nobody", "wrong".toCharArray())).isInstanceOf(PasswordSource.NoSuchUser.class);
      assertThat(ldap.authenticate("alice", new char[0])).isInstanceOf(PasswordSource.WrongPassword.class);
      // an unknown user costs a bind too (a name that does not exist), like a wrong password
      assertThat(directory.binds("cn=schoolgate-no-such-user," + TestDirectory.PEOPLE)).isEqualTo(1);
      assertThat(directory.userBinds("alice")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "*)(uid=*", "alice)(|(uid=*", "al*", "alice)(objectClass=*", "\\2a", "uid=alice",
      "alice\\", "(uid=alice)"})
  void ldapFilterSyntaxInANameIsJustAnOddName(String name) throws Exception {
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), metrics)) {
      assertThat(ldap.authenticate(name, "alice-pass-1".toCharArray())).isInstanceOf(PasswordSource.NoSuchUser.class);
      assertThat(ldap.groups(name)).isInstanceOf(PasswordSource.NoSuchUser.class);
      assertThat(directory.userBinds("alice")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(LdapSettings.Membership.class)
  void cyclesAndDeepNestingAreCutAndCounted(LdapSettings.Membership membership) throws Exception {
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(membership), metrics)) {
      PasswordSource.Found frank = (PasswordSource.Found) ldap.groups("frank");
      assertThat(frank.groups()).map(s -> s.toLowerCase(java.util.Locale.ROOT))
          .containsExactlyInAnyOrder(g("cyclea"), g("cycleb"));
      PasswordSource.Found gina = (PasswordSource.Found) ldap.groups("gina");
      assertThat(gina.groups()).hasSize(11); // Level1 and 10 levels above it
      assertThat(registry.counter("schoolgate.identity.nesting.cut", "reason", "cycle").count()).isEqualTo(1);
      assertThat(registry.counter("schoolgate.identity.nesting.cut", "reason", "depth").count()).isEqualTo(1);
    }
  }

  @Test
  void startTlsWorksToo() throws Exception {
    LdapSettings s = directory.settings(LdapSettings.Membership.MEMBER_OF);
    LdapSettings startTls = new LdapSettings(List.of(directory.ldap()), true, false, s.caFile(), s.bindDn(),
        s.bindPassword(), s.userBase(), "uid", s.userFilter(), s.groupBase(), s.membership(), 10, s.connectTimeout(),
        s.responseTimeout(), 2);
    try (LdapDirectory ldap = new LdapDirectory(startTls, metrics)) {
      assertThat(ldap.authenticate("bob", "bob-pass-1".toCharArray())).isInstanceOf(PasswordSource.Found.class);
    }
  }

  @Test
  void aDirectoryWhoseCertificateIsNotTrustedIsDownNotWrong() throws Exception {
    LdapSettings s = directory.settings(LdapSettings.Membership.MEMBER_OF);
    LdapSettings jdkTrust = new LdapSettings(s.urls(), false, false, null, s.bindDn(), s.bindPassword(), s.userBase(),
        "uid", s.userFilter(), s.groupBase(), s.membership(), 10, s.connectTimeout(), s.responseTimeout(), 2);
    try (LdapDirectory ldap = new LdapDirectory(jdkTrust, metrics)) {
      assertThatThrownBy(() -> ldap.authenticate("bob", "bob-pass-1".toCharArray()))
          .isInstanceOf(SourceDownException.class).hasMessageContaining("the directory ldaps://localhost:");
    }
  }

  @Test
  void plainLdapNeedsAnExplicitSetting() {
    assertThatThrownBy(() -> LdapSettings.of(List.of(URI.create("ldap://dc1.school.example")), false, null,
        "cn=x", "p".toCharArray(), "dc=x"))
        .hasMessage("url 'ldap://dc1.school.example' is plain LDAP: passwords would cross the network in clear"
            + " (expected: ldaps://..., or start-tls: true, or allow-plain: true for a lab)");
    assertThatThrownBy(() -> LdapSettings.of(List.of(URI.create("http://dc1")), false, null, "cn=x",
        "p".toCharArray(), "dc=x"))
        .hasMessage("url 'http://dc1' is not an LDAP URL (expected: ldaps://host[:port] or ldap://host[:port])");
    assertThat(new LdapSettings(List.of(URI.create("ldap://127.0.0.1:389")), false, true, null, "cn=x",
        "p".toCharArray(), "dc=x", "uid", null, null, LdapSettings.Membership.MEMBER, 5, Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1).allowPlain()).isTrue();
  }
}
