package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Directory group names compare the same however the policy or the directory spells them. */
class DirectoryGroupNameTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      CN=Year9,OU=Pupils,DC=school,DC=example        | cn=year9,ou=pupils,dc=school,dc=example
      ' cn = Year9 ,  ou=Pupils , dc=School,DC=example ' | cn=year9,ou=pupils,dc=school,dc=example
      CN=Smith\\, J,OU=Staff,DC=school,DC=example   | cn=smith\\, j,ou=staff,dc=school,dc=example
      CN=Year 9,OU=Pupils                            | cn=year 9,ou=pupils
      ' Social Media '                               | social media
      """)
  void normalisesCaseAndSpacesAroundSeparators(String given, String normalised) {
    assertThat(DirectoryGroupName.normalise(given)).isEqualTo(normalised);
  }

  @Test
  void aDnGroupIsAlsoKnownByItsFirstValue() {
    assertThat(DirectoryGroupName.keys("CN=Year9,OU=Pupils,DC=school,DC=example"))
        .containsExactly("cn=year9,ou=pupils,dc=school,dc=example", "year9");
    assertThat(DirectoryGroupName.keys("Staff")).containsExactly("staff");
  }

  @Test
  void problemsSayWhatIsWrong() {
    assertThat(DirectoryGroupName.problem("CN=Year9,Pupils,DC=school")).isEqualTo(
        "'CN=Year9,Pupils,DC=school' is not a distinguished name: 'Pupils' is not type=value"
            + " (expected: e.g. CN=Year9,OU=Pupils,DC=school,DC=example)");
    assertThat(DirectoryGroupName.problem(" ")).startsWith("is blank");
    assertThat(DirectoryGroupName.problem("a\u0000b")).isEqualTo(
        "has a control character at position 1 (expected: printable text)");
    assertThat(DirectoryGroupName.problem("x".repeat(1025))).isEqualTo(
        "is 1025 characters long (expected: at most 1024)");
    assertThat(DirectoryGroupName.problem("CN=Year9,OU=Pupils")).isNull();
  }

  @Test
  void aPersonIsInEachKeyOfTheirGroups() {
    Person p = Person.of(" a.khan ", java.util.List.of("CN=Social Media,OU=Staff,DC=school,DC=example", "Staff"));
    assertThat(p.user()).isEqualTo("a.khan");
    assertThat(p.isIn("social media")).isTrue();
    assertThat(p.isIn("cn=social media,ou=staff,dc=school,dc=example")).isTrue();
    assertThat(p.isIn("staff")).isTrue();
    assertThat(p.isIn("pupils")).isFalse();
  }
}
