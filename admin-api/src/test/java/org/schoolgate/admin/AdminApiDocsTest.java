package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/admin-api.md stays true to what the API does (issue 11 found it saying alerts come "later"). */
class AdminApiDocsTest {
  private static final Path DOC = Path.of("..", "docs", "admin-api.md");

  @Test
  void theAlertSectionDescribesTheRulesAndDeliveryThatExist() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);

    assertThat(doc).doesNotContain("later delivery").doesNotContain("Today one thing raises an alert");
    assertThat(doc).contains("search-<theme>", "illegal-category", "repeated-attempts", "circumvention",
        "block-burst", "escalation-1", "alerts.routes");
  }

  @Test
  void creatingAnAccountDocumentsItsBody() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);

    assertThat(doc).contains("`POST /api/v1/accounts` (admin) creates an account:",
        "{\"username\": \"j.smith\", \"displayName\": \"Jo Smith\", \"roles\": [\"teacher\", \"dsl\"],",
        "\"password\": \"a first password of 12+ characters\"}");
  }

  @Test
  void signInThrottlingAndAuditRedactionAreDescribedAsBuilt() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);

    assertThat(doc).contains("**from one client address**", "admin.trusted-proxies", "X-Schoolgate-Proxy-Key",
        "(safeguarding details: shown to the DSL and senior leaders only)", "runs N minutes **from its\n   approval**");
  }
}
