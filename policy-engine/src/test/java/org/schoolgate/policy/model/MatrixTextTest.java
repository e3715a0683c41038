package org.schoolgate.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One matrix cell changed in the policy file's text; everything else, comments included, stays. */
class MatrixTextTest {
  private static final String TEXT = """
      # the school's matrix 🙂
      matrix:
        # gambling: the seed says unacceptable
        gambling: { default: unacceptable }   # reviewed in May
        games:
          default: { at-times: [lunch] }
          staff: acceptable
        # after the rows
      default: acceptable
      """;

  @Test
  void aCellThatExistsIsReplacedInPlace() {
    assertThat(MatrixText.withCell(TEXT, "gambling", "default", "acceptable"))
        .isEqualTo(TEXT.replace("{ default: unacceptable }", "{ default: acceptable }"));
    assertThat(MatrixText.withCell(TEXT, "games", "default", "unacceptable"))
        .isEqualTo(TEXT.replace("default: { at-times: [lunch] }", "default: unacceptable"));
  }

  @Test
  void aGroupTheRowDoesNotNameIsAddedInsideTheBracesOrAsALine() {
    assertThat(MatrixText.withCell(TEXT, "gambling", "staff", "{ at-times: [lunch] }"))
        .isEqualTo(TEXT.replace("{ default: unacceptable }", "{ default: unacceptable, staff: { at-times: [lunch] } }"));
    assertThat(MatrixText.withCell(TEXT, "games", "ks2", "unacceptable"))
        .isEqualTo(TEXT.replace("    staff: acceptable\n", "    staff: acceptable\n    ks2: unacceptable\n"));
  }

  @Test
  void aMissingRowIsRefused() {
    assertThatThrownBy(() -> MatrixText.withCell(TEXT, "shopping", "default", "acceptable"))
        .hasMessage("the policy file has no matrix row for 'shopping'");
  }
}
