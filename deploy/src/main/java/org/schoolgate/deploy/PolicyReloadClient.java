package org.schoolgate.deploy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a running Schoolgate to reload its policy: {@code POST /api/v1/policy/reload} on the admin API. */
final class PolicyReloadClient {
  /** The outcome of asking. */
  sealed interface Outcome {
    /** The running Schoolgate reloaded; {@code body} is its JSON answer. */
    record Reloaded(String body) implements Outcome {}

    /** It answered with an error (422: the policy was rejected; it keeps the old snapshot). */
    record Refused(int status, String body) implements Outcome {}

    /** Nothing listens at the admin address. */
    record NotRunning(URI url) implements Outcome {}
  }

  private PolicyReloadClient() {}

  /** The reload URL for an admin listener (an all-interfaces listener is reached on loopback). */
  static URI reloadUrl(InetSocketAddress admin) {
    InetAddress a = admin.getAddress();
    String host = a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + admin.getPort() + "/api/v1/policy/reload");
  }

  /** Posts the reload, with {@code Authorization: Bearer token} when {@code token} is not null. */
  static Outcome reload(URI url, Duration timeout, String token) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new Outcome.Reloaded(response.body())
          : new Outcome.Refused(response.statusCode(), response.body());
    } catch (ConnectException e) {
      return new Outcome.NotRunning(url);
    }
  }
}
