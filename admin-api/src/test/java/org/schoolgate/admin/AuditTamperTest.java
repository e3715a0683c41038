package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

/** Edits the SQLite file behind the store's back, as an intruder with file access would. */
class AuditTamperTest {
  @RegisterExtension final AdminApi api = AdminApi.smallPolicy();

  @Test
  void verifyReportsTheFirstEditedRecord() throws Exception {
    long records = api.as(Role.GOVERNOR).get("/api/v1/audit/verify").json().get("records").asLong();
    assertThat(records).isGreaterThan(3);

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + api.dir.resolve("schoolgate.db"));
        Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 3")).isEqualTo(1);
    }

    Reply verify = api.as(Role.GOVERNOR).get("/api/v1/audit/verify");

    assertThat(verify.status()).isEqualTo(200);
    assertThat(verify.json().get("valid").asBoolean()).isFalse();
    assertThat(verify.json().get("seq").asLong()).isEqualTo(3);
    assertThat(verify.json().get("problem").asText()).contains("3");
    assertThat(verify.json().has("head")).isFalse();
  }
}
