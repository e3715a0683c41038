package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.auth.ApiRoute;

class OpenApiTest {
  @RegisterExtension static final AdminApi api = AdminApi.smallPolicy();

  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

  @Test
  void theDocumentIsServedWithoutSignInAsOpenApi3() {
    Reply reply = api.anonymous().get("/api/v1/openapi.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("openapi").asText()).startsWith("3.0");
  }

  @Test
  void everyMountedRouteIsDocumentedAndEveryDocumentedRouteIsMounted() {
    JsonNode paths = api.anonymous().get("/api/v1/openapi.json").json().get("paths");
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue().fieldNames().forEachRemaining(method -> {
        if (METHODS.contains(method)) {
          documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      });
    }
    Set<String> mounted = Arrays.stream(ApiRoute.values()).map(ApiRoute::text)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(documented).isEqualTo(mounted);
  }

  @Test
  void everyDocumentedOperationNamesWhoMayCallIt() {
    JsonNode paths = api.anonymous().get("/api/v1/openapi.json").json().get("paths");
    for (ApiRoute route : ApiRoute.values()) {
      JsonNode op = paths.get(route.path()).get(route.method().name().toLowerCase(Locale.ROOT));
      String roles = op.get("x-roles").asText();
      if (route.access().open()) {
        assertThat(roles).as(route.text()).isEqualTo("public");
        assertThat(op.get("security")).as(route.text()).isEmpty();
      } else if (route.access().anyAccount()) {
        assertThat(roles).as(route.text()).isEqualTo("any signed-in account");
      } else {
        assertThat(roles).as(route.text()).startsWith(route.access().roleNames());
      }
    }
  }
}
