package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.store.Role;

/** Without reporter networks, a caller may only say who is at its own address (a logon script on the PC). */
class SessionReporterTest {
  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().sessions(SessionSettings.DEFAULTS);

  @Test
  void aCallerOutsideTheReporterNetworksReportsOnlyItsOwnAddress() throws Exception {
    AdminApi.Client script = api.as(Role.IDENTITY_SOURCE);

    Reply other = script.post("/api/v1/identity/sessions", "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.code()).isEqualTo("not_a_reporter");
    assertThat(other.message()).isEqualTo("this caller (127.0.0.1) may report only its own address, not 10.0.0.5;"
        + " a Wi-Fi controller or MDM that reports for others needs its network in identity.sessions.reporters");
    assertThat(api.bindings.find(InetAddress.getByName("10.0.0.5"), api.clock.instant())).isNull();

    Reply own = script.post("/api/v1/identity/sessions", "{\"user\":\"alice\"}");
    assertThat(own.status()).isEqualTo(201);
    assertThat(own.json().get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(api.bindings.find(InetAddress.getByName("127.0.0.1"), api.clock.instant()).user()).isEqualTo("alice");
  }
}
