package org.schoolgate.admin;

import org.schoolgate.policy.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.ReportsSettings;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * Starts a real admin server on 127.0.0.1:0 over a real SQLite store in a temporary directory,
 * with one signed-in account per role ({@code teacher}, {@code technician}, ...; password
 * {@link #PASSWORD}; the teacher teaches every group of the policy). Registered static it serves a whole class; registered per instance it
 * gives each test a fresh database.
 *
 * <pre>{@code
 * @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();
 * api.as(Role.TEACHER).post("/api/v1/unblocks", json);
 * }</pre>
 */
final class AdminApi implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** Monday 23 November 2026, 10:00 in London (GMT). */
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final String PASSWORD = "correct horse battery staple";
  static final String SETUP_TOKEN = "first-run-setup-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  /** The TOTP secret of every account made here that needs a second factor. */
  static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private final Map<String, Deque<String>> recoveryCodes = new java.util.HashMap<>();

  private final boolean samplePolicy;
  private boolean withAccounts = true;
  private Duration tick = Duration.ofMinutes(10);
  private Duration maxUnblock = null;
  private java.util.function.UnaryOperator<AdminConfig> configure = c -> c;
  private org.schoolgate.admin.health.HealthChecks health = org.schoolgate.admin.health.HealthChecks.NONE;
  private SessionSettings sessions = SessionSettings.DEFAULTS;
  private java.util.concurrent.Executor dryRunner;
  private java.util.function.Supplier<org.schoolgate.admin.signin.DirectoryRoles> directory =
      () -> org.schoolgate.admin.signin.DirectoryRoles.NONE;
  /** The address-binding table logon sessions go into (in memory, on {@link #clock}). */
  BindingTable bindings;

  private boolean perClass;
  Path dir;
  Path policyFile;
  MutableClock clock;
  Store store;
  PolicyHolder holder;
  PrometheusMeterRegistry registry;
  AdminServer server;
  /** The reports over {@link #logs} (an empty access-log directory until a test writes one). */
  Reports reports;
  Path logs;
  final Map<Role, Account> accounts = new EnumMap<>(Role.class);
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);
  final HttpClient http = HttpClient.newHttpClient();

  private AdminApi(boolean samplePolicy) {
    this.samplePolicy = samplePolicy;
  }

  /** The shipped sample policy (it flags {@code violence}, {@code extremism} and others sensitive). */
  static AdminApi samplePolicy() {
    return new AdminApi(true);
  }

  /** The small inline policy in {@code policy.yaml} beside the tests. */
  static AdminApi smallPolicy() {
    return new AdminApi(false);
  }

  /** No accounts at all: the first-run state. */
  AdminApi withoutAccounts() {
    withAccounts = false;
    return this;
  }

  AdminApi tick(Duration tick) {
    this.tick = tick;
    return this;
  }

  /** Changes the admin configuration before the server starts (forwarding trust, sign-in limits). */
  AdminApi configure(java.util.function.UnaryOperator<AdminConfig> change) {
    this.configure = change;
    return this;
  }

  /** Admin sign-in by directory credentials, made when the server starts. */
  AdminApi directory(java.util.function.Supplier<org.schoolgate.admin.signin.DirectoryRoles> roles) {
    this.directory = roles;
    return this;
  }

  AdminApi sessions(SessionSettings settings) {
    this.sessions = settings;
    return this;
  }

  AdminApi maxUnblock(Duration max) {
    this.maxUnblock = max;
    return this;
  }

  /** Policy dry runs execute on {@code runner} (a test holds a run there to see it running). */
  AdminApi dryRunner(java.util.concurrent.Executor runner) {
    this.dryRunner = runner;
    return this;
  }

  /** {@code /healthz} reports these checks. */
  AdminApi health(org.schoolgate.admin.health.HealthChecks checks) {
    this.health = checks;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      stop();
    }
  }

  private void start() throws Exception {
    dir = Files.createTempDirectory("schoolgate-admin-test");
    clock = new MutableClock(START);
    if (samplePolicy) {
      policyFile = SamplePolicy.extractTo(dir.resolve("policy"));
    } else {
      policyFile = dir.resolve("policy.yaml");
      try (InputStream in = AdminApi.class.getResourceAsStream("policy.yaml")) {
        Files.copy(in, policyFile);
      }
    }
    holder = PolicyHolder.load(policyFile, clock);
    if (samplePolicy) {
      assertThat(holder.current().isSensitive(new CategoryId("violence")))
          .as("the sample policy flags violence sensitive (the tests rely on it)").isTrue();
    }
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AdminConfig config = configure.apply(
        new AdminConfig(new InetSocketAddress("127.0.0.1", 0), maxUnblock, SETUP_TOKEN, tick).withSessions(sessions));
    bindings = BindingTable.inMemory(clock, IdentityMetrics.unregistered());
    logs = Files.createDirectories(dir.resolve("logs"));
    reports = Reports.open(logs, ReportsSettings.DEFAULTS, holder, store, registry, clock, dryRunner);
    server = AdminServer.start(config, holder, store, registry, clock, bindings, health, directory.get(),
        java.util.Optional.of(reports));
    if (withAccounts) {
      for (Role role : Role.values()) {
        accounts.put(role, createAccount(role.apiName(), Set.of(role)));
        tokens.put(role, login(role.apiName()));
      }
      // the teacher teaches every group, so tests of other things may ask "why is this blocked?" for any
      store.accounts().setTaughtGroups(accounts.get(Role.TEACHER).id(), holder.current().groups().stream()
          .map(org.schoolgate.policy.GroupId::value).toList(), Actor.system("test"), "every group");
    }
  }

  private void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (reports != null) {
      reports.close();
    }
    if (store != null) {
      store.close();
    }
    accounts.clear();
    tokens.clear();
    recoveryCodes.clear();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Creates an account; one that needs a second factor (admin, dsl, senior-leader) is enrolled
   * with {@link #SECRET} and its recovery codes kept for {@link #login}.
   */
  Account createAccount(String username, Set<Role> roles) {
    Account account = store.accounts().create(username, "Test " + username, PASSWORD.toCharArray(), roles,
        Actor.system("test"));
    if (SecondFactor.required(account)) {
      SecondFactor factor = new SecondFactor(store.secondFactors(), clock, "Schoolgate");
      recoveryCodes.put(username, new ArrayDeque<>(factor.enrol(account, SECRET,
          SecondFactor.currentCode(SECRET, clock.instant()), Actor.system("test")).orElseThrow()));
    }
    return account;
  }

  /** True when {@code account} has a second factor set up. */
  boolean secondFactorOf(Account account) {
    return store.secondFactors().enrolment(account.id()).isPresent();
  }

  /** An unused recovery code of {@code username} (enrolled by {@link #createAccount}), or null if it has none. */
  String nextRecoveryCode(String username) {
    Deque<String> codes = recoveryCodes.get(username);
    return codes == null ? null : codes.pop();
  }

  /** Signs in through the API (with a recovery code as the second factor where needed) and returns the session token. */
  String login(String username) {
    Deque<String> codes = recoveryCodes.get(username);
    String code = codes == null ? "" : ",\"code\":\"" + codes.pop() + "\"";
    Reply r = anonymous().post("/api/v1/login",
        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"" + code + "}");
    assertThat(r.status()).as("login of %s: %s", username, r.body()).isEqualTo(200);
    return r.json().get("token").asText();
  }

  Client as(Role role) {
    return new Client(tokens.get(role));
  }

  /** The session token {@code role}'s account signed in with (the console's session cookie). */
  String token(Role role) {
    return tokens.get(role);
  }

  /** A console page as a browser signed in as {@code role} asks for it (the session cookie). */
  Reply page(Role role, String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    if (role != null) {
      b.header("Cookie", "schoolgate_session=" + tokens.get(role));
    }
    return send(b);
  }

  /** A console form post ({@code application/x-www-form-urlencoded}) from a browser signed in as {@code role}. */
  Reply form(Role role, String path, String urlEncodedBody) {
    return send(HttpRequest.newBuilder(uri(path)).header("Cookie", "schoolgate_session=" + tokens.get(role))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(urlEncodedBody)));
  }

  Client withToken(String token) {
    return new Client(token);
  }

  Client anonymous() {
    return new Client(null);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  /** One caller: a bearer token, or none. */
  final class Client {
    private final String token;

    Client(String token) {
      this.token = token;
    }

    Reply get(String pathAndQuery) {
      return AdminApi.this.send(builder(pathAndQuery).GET());
    }

    Reply post(String path, String json) {
      return AdminApi.this.send(builder(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path, String json) {
      return AdminApi.this.send(builder(path).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
      return AdminApi.this.send(builder(path).DELETE());
    }

    Reply send(String method, String path, String json) {
      return AdminApi.this.send(builder(path).header("Content-Type", "application/json")
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder builder(String pathAndQuery) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return b;
    }
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP answer. */
  record Reply(int status, Map<String, java.util.List<String>> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    String code() {
      return json().path("code").asText(null);
    }

    String message() {
      return json().path("message").asText(null);
    }
  }
}
