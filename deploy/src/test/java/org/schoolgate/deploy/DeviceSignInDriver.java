package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.schoolgate.policy.testing.Eventually;

/**
 * What the device sign-in tests do over and over, against one running Schoolgate and one origin:
 * ask through the proxy as a given client address, find the access-log line of a path, follow the
 * proxy's redirect to the sign-in page, and fill in and send that page's form like a browser.
 */
final class DeviceSignInDriver {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern LOCATION = Pattern.compile("(?im)^location: (\\S+)$");

  private final SchoolgateClient api;
  private final int originPort;

  DeviceSignInDriver(SchoolgateClient api, int originPort) {
    this.api = api;
    this.originPort = originPort;
  }

  /** The raw answer to a GET of {@code http://host:<origin>/path} through the proxy, sent from {@code from}. */
  String fetch(String from, String host, String path) throws Exception {
    return api.fetch(from, "http://" + host + ":" + originPort + path);
  }

  /** The last access-log line for {@code path}, waited for (the log is written off the request's thread). */
  JsonNode line(String path) throws Exception {
    JsonNode[] found = new JsonNode[1];
    Eventually.within(Duration.ofSeconds(10), () -> {
      found[0] = api.accessLog().stream().filter(l -> path.equals(l.path("path").asText())).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no access-log line for " + path));
    });
    return found[0];
  }

  /** The sign-in page the proxy sent {@code from} to (its Location header) when it asked news.test for {@code path}. */
  String redirected(String from, String path) throws Exception {
    String answer = fetch(from, "news.test", path);
    assertThat(answer).startsWith("HTTP/1.1 302");
    Matcher m = LOCATION.matcher(answer);
    assertThat(m.find()).as(answer).isTrue();
    return m.group(1);
  }

  /**
   * Opens {@code page} (its host is the admin server's public address) in a fresh browser and posts
   * its form with {@code fields}, the page's CSRF token and the page's own query parameters.
   */
  HttpResponse<String> signIn(String page, Map<String, String> fields) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> form = browser.send(HttpRequest.newBuilder(URI.create(page)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(form.body());
    assertThat(csrf.find()).as(form.body()).isTrue();
    URI uri = URI.create(page);
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("csrf", csrf.group(1));
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      all.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    String body = all.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return browser.send(HttpRequest.newBuilder(uri.resolve("/device-sign-in"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
