package org.schoolgate.admin;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /api/v1/openapi.json}: the hand-written OpenAPI 3.0 description, read once. */
final class OpenApi {
  static final String RESOURCE = "openapi.json";
  private final String json;

  private OpenApi(String json) {
    this.json = json;
  }

  static OpenApi load() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("org/schoolgate/admin/" + RESOURCE + " is missing from the jar");
      }
      return new OpenApi(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  void handle(Context ctx) {
    ctx.contentType("application/json; charset=utf-8").result(json);
  }
}
