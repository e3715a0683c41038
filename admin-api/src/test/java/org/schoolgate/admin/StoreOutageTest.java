package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

class StoreOutageTest {
  @RegisterExtension final AdminApi api = AdminApi.smallPolicy();

  @Test
  void aDatabaseOutageIsA503ThatSaysNothingChangedWhileHealthAndMetricsStayUp() {
    api.store.close();

    Reply me = api.as(Role.TEACHER).get("/api/v1/me");
    Reply login = api.anonymous().post("/api/v1/login", "{\"username\":\"teacher\",\"password\":\"x\"}");

    assertThat(me.status()).isEqualTo(503);
    assertThat(me.code()).isEqualTo("store_unavailable");
    assertThat(me.message()).isEqualTo("the database is unavailable, nothing was changed; try again shortly");
    assertThat(login.status()).isEqualTo(503);
    assertThat(api.anonymous().get("/healthz").status()).isEqualTo(200);
    assertThat(api.anonymous().get("/metrics").status()).isEqualTo(200);
  }
}
