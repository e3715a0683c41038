package org.schoolgate.policy.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.PolicyCompiler;

/** The policy's downloads: section: reading, errors with file:line:field, the compiled rules, the sample. */
class DownloadsSectionTest {
  @TempDir Path dir;

  private static final String BASE = """
      groups:
        ks2: { subnets: [10.10.0.0/16] }
        staff: { subnets: [10.30.0.0/16] }
        guests: { subnets: [10.99.0.0/16] }
      """;

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyCompiler.compile(file, TestPolicies.CLOCK));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(err -> err.file().getFileName() + ":" + err.line() + ": " + err.field() + ": "
        + err.message()).toList();
  }

  @Test
  void eachGroupGetsItsKindsAndOthersTheDefault() {
    PolicySnapshot p = TestPolicies.compile(dir, BASE + """
        downloads:
          groups:
            default: [executable, installer, script, disk-image]
            ks2: all
            staff: []
        """);
    DownloadRules ks2 = p.downloadRules(new GroupId("ks2"));
    assertThat(FileKind.ALL).allMatch(ks2::blocks);
    DownloadRules staff = p.downloadRules(new GroupId("staff"));
    assertThat(staff.enabled()).isFalse();
    DownloadRules guests = p.downloadRules(new GroupId("guests"));
    assertThat(guests.blocks(FileKind.EXECUTABLE)).isTrue();
    assertThat(guests.blocks(FileKind.ARCHIVE)).isFalse();
  }

  @Test
  void withoutTheSectionNothingIsBlockedByType() {
    PolicySnapshot p = TestPolicies.compile(dir, BASE);
    assertThat(p.downloadRules(new GroupId("ks2"))).isSameAs(DownloadRules.OFF);
  }

  @Test
  void mistakesAreReportedWithTheirLineAndHowToFixThem() {
    assertThat(errors(BASE + """
        downloads:
          groups:
            ks3: [executable]
            ks2: [executables, script]
            staff: everything
          block: [executable]
        """)).containsExactlyInAnyOrder(
        "policy.yaml:7: downloads.groups.ks3: unknown group 'ks3', did you mean 'ks2'? (expected one of the names"
            + " under 'groups', or 'default')",
        "policy.yaml:8: downloads.groups.ks2[0]: unknown file kind 'executables', did you mean 'executable'?"
            + " (expected some of: executable, installer, script, disk-image, archive)",
        "policy.yaml:9: downloads.groups.staff: is 'everything' (expected: a list of kinds such as"
            + " [executable, script], [] for none, or all; kinds: executable, installer, script, disk-image, archive)",
        "policy.yaml:10: downloads.block: unknown key 'block' (expected one of: groups)");
  }

  @Test
  void theSamplePolicyBlocksProgramsForPupilsAndNotForStaff() {
    PolicySnapshot p = TestPolicies.sample(dir);
    assertThat(p.downloadRules(new GroupId("ks3-4")).blocks(FileKind.EXECUTABLE)).isTrue();
    assertThat(p.downloadRules(new GroupId("ks3-4")).blocks(FileKind.SCRIPT)).isTrue();
    assertThat(p.downloadRules(new GroupId("staff")).enabled()).isFalse();
  }
}
