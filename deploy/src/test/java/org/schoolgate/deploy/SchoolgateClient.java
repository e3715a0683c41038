package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives a running {@link Schoolgate} in tests: its admin API as a signed-in person, and its proxy
 * from a chosen loopback address (a pupil's machine).
 */
final class SchoolgateClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Schoolgate schoolgate;
  private final String admin;
  private final HttpClient http = HttpClient.newHttpClient();

  SchoolgateClient(Schoolgate schoolgate) {
    this.schoolgate = schoolgate;
    this.admin = "http://127.0.0.1:" + schoolgate.admin().port();
  }

  /** Signs in and returns the session token. */
  String login(String user, String password) throws Exception {
    return call("POST", "/api/v1/login", null, Map.of("username", user, "password", password), 200)
        .get("token").asText();
  }

  /** Signs in with a second factor ({@code code}: a TOTP code or a recovery code) and returns the session token. */
  String login(String user, String password, String code) throws Exception {
    return call("POST", "/api/v1/login", null, Map.of("username", user, "password", password, "code", code), 200)
        .get("token").asText();
  }

  /** One admin API call (JSON body or none) that must answer {@code expected}; its JSON answer. */
  JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    return JSON.readTree(r.body());
  }

  /** One request through the proxy from loopback address {@code from}; the raw response. */
  String fetch(String from, String url) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", schoolgate.proxy().address().getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + url + " HTTP/1.1\r\nHost: " + URI.create(url).getAuthority()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  /** Every access-log line written so far, oldest file first. */
  List<JsonNode> accessLog() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    try (var files = java.nio.file.Files.list(schoolgate.config().accessLogDir())) {
      for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted()
          .toList()) {
        for (String line : java.nio.file.Files.readAllLines(f)) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    return lines;
  }
}
