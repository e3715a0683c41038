package org.schoolgate.identity.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserNameRuleTest {
  private final UserNameRule school = new UserNameRule(Set.of("school.example", "SCHOOL"), true);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "alice                  | alice",
      "Alice                  | alice",
      "SCHOOL\\Alice          | alice",
      "school\\alice          | alice",
      "alice@School.Example   | alice",
      "'  alice@school.example ' | alice",
      "bob@other.ac.uk        | bob@other.ac.uk",
      "OTHER\\bob             | other\\bob",
  })
  void realmsOfTheSchoolAreStrippedAndCaseFolded(String raw, String expected) {
    assertThat(school.normalise(raw)).isEqualTo(expected);
  }

  @Test
  void anyRealmIsStrippedWithAStar() {
    assertThat(new UserNameRule(Set.of("*"), false).normalise("Bob@other.ac.uk")).isEqualTo("Bob");
  }

  @Test
  void badNamesSayWhatIsWrong() {
    assertThatThrownBy(() -> school.normalise(" ")).hasMessage(
        "the user name is empty (expected: a name such as alice or SCHOOL\\alice)");
    assertThatThrownBy(() -> school.normalise("al\nice")).hasMessage(
        "the user name contains a control character at position 3 (expected: printable characters only)");
    assertThatThrownBy(() -> school.normalise("@school.example")).hasMessage(
        "the user name '@school.example' is only a realm (expected: a name before the @ or after the \\)");
    assertThatThrownBy(() -> school.normalise("a".repeat(257))).hasMessage(
        "the user name is 257 characters long (expected: at most 256)");
    assertThatThrownBy(() -> new UserNameRule(Set.of("a@b"), true)).hasMessage(
        "realm 'a@b' is not a realm (expected: a domain such as school.example, a NetBIOS name such as SCHOOL, or *)");
  }
}
