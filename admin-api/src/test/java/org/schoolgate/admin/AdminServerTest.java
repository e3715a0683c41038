package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.store.Role;

class AdminServerTest {
  @RegisterExtension static final AdminApi api = AdminApi.smallPolicy();

  private String originalPolicy;

  @BeforeEach
  void rememberPolicy() throws IOException {
    originalPolicy = Files.readString(api.policyFile);
  }

  @AfterEach
  void restorePolicy() throws IOException {
    Files.writeString(api.policyFile, originalPolicy);
    assertThat(api.holder.reload()).isInstanceOf(ReloadResult.Reloaded.class);
  }

  @Test
  void bindsLoopbackByDefault() {
    assertThat(AdminConfig.defaults().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(api.server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(api.server.port()).isPositive();
  }

  @Test
  void healthzReportsThePolicyInForce() throws Exception {
    Reply reply = api.anonymous().get("/healthz");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("status").asText()).isEqualTo("ok");
    JsonNode policy = reply.json().get("policy");
    assertThat(policy.get("source").asText()).isEqualTo(api.policyFile.toString());
    assertThat(Instant.parse(policy.get("compiledAt").asText())).isNotNull();
    assertThat(policy.get("entries").asLong()).isEqualTo(3);
  }

  @Test
  void metricsServesPrometheusTextFromTheInjectedRegistry() throws Exception {
    api.registry.counter("schoolgate.test.hits").increment(2);

    Reply reply = api.anonymous().get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(reply.body()).contains("schoolgate_test_hits_total 2.0");
  }

  @Test
  void decideExplainsABlockedPupilRequest() throws Exception {
    Reply reply = get("/api/v1/decide?client=10.10.1.2&url="
        + enc("http://WWW.Bet.Example:80/spin?x=1") + "&at=2026-11-23T10:30");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode j = reply.json();
    assertThat(j.get("url").asText()).isEqualTo("http://WWW.Bet.Example:80/spin?x=1");
    assertThat(j.get("host").asText()).isEqualTo("www.bet.example");
    assertThat(j.get("client").asText()).isEqualTo("10.10.1.2");
    assertThat(j.get("group").asText()).isEqualTo("pupils");
    assertThat(j.get("identifiedBy").asText()).isEqualTo("subnet");
    assertThat(j.get("action").asText()).isEqualTo("block");
    assertThat(j.get("level").asText()).isEqualTo("unacceptable");
    assertThat(j.get("rule").asText()).isEqualTo("matrix");
    assertThat(j.get("ruleText").asText()).isEqualTo("matrix:gambling/pupils");
    assertThat(texts(j.get("categories"))).containsExactly("gambling");
    assertThat(j.get("decidingCategory").asText()).isEqualTo("gambling");
    assertThat(j.get("reason").asText()).isNotBlank();
    assertThat(j.get("at").asText()).isEqualTo("2026-11-23T10:30:00Z");
  }

  @ParameterizedTest(name = "{0} {1} at {2} -> {3} ({4})")
  @CsvSource({
    // client,   user,    at,                        action, level
    "10.10.1.2,  ,        2026-11-23T12:30,          allow,  acceptable-at-certain-times",
    "10.10.1.2,  ,        2026-11-23T13:16,          block,  acceptable-at-certain-times",
    "10.30.0.9,  ,        2026-11-23T09:00,          allow,  acceptable",
    "10.10.1.2,  j.smith, 2026-11-23T09:00,          allow,  acceptable",
    "10.10.1.2,  ,        2026-11-23T13:30:00+01:00, allow,  acceptable-at-certain-times",
    "10.10.1.2,  ,        2026-11-23T12:30:00Z,      allow,  acceptable-at-certain-times",
  })
  void decideAppliesGroupUserAndTime(String client, String user, String at, String action,
      String level) throws Exception {
    Reply reply = get("/api/v1/decide?client=" + client + (user == null ? "" : "&user=" + user)
        + "&url=games.example&at=" + enc(at));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("action").asText()).isEqualTo(action);
    assertThat(reply.json().get("level").asText()).isEqualTo(level);
  }

  @Test
  void decideWithoutAtUsesTheClock() throws Exception {
    Reply reply = get("/api/v1/decide?client=10.10.1.2&url=example.org");

    assertThat(reply.json().get("at").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(reply.json().get("action").asText()).isEqualTo("allow");
    assertThat(reply.json().get("rule").asText()).isEqualTo("default");
    assertThat(texts(reply.json().get("categories"))).isEmpty();
    assertThat(reply.json().get("decidingCategory").isNull()).isTrue();
  }

  @Test
  void decideReportsAClientOutsideEveryServedNetworkAsRefused() throws Exception {
    Reply reply = get("/api/v1/decide?client=192.168.7.7&url=example.org");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("action").asText()).isEqualTo("refuse");
    assertThat(reply.json().get("rule").asText()).isEqualTo("client-refused");
    assertThat(reply.json().get("group").isNull()).isTrue();
    assertThat(reply.json().get("identifiedBy").asText()).isEqualTo("refused");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "client=10.10.1.2"
        + "|missing_parameter|url"
        + "|url is required (expected: an absolute URL such as http://example.com/path or a host name such as example.com)",
    "url=example.org"
        + "|missing_parameter|client"
        + "|client is required (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)",
    "url=example.org&client=10.10.1"
        + "|invalid_parameter|client"
        + "|client '10.10.1' is not an IP address (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)",
    "url=example.org&client=10.10.1.256"
        + "|invalid_parameter|client"
        + "|client '10.10.1.256' is not an IP address (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)",
    "url=example.org&client=school.example"
        + "|invalid_parameter|client"
        + "|client 'school.example' is not an IP address (expected: an IPv4 or IPv6 address such as 10.10.1.23 or fd00::1)",
    "url=example.org&client=10.10.1.2&at=2026-13-40T12:00"
        + "|invalid_parameter|at"
        + "|at '2026-13-40T12:00' is not a date and time (expected: local time in the policy's time zone"
        + " Europe/London such as 2026-11-23T12:30, or ISO-8601 with an offset such as 2026-11-23T12:30:00Z)",
    "url=example.org&client=10.10.1.2&at=tomorrow"
        + "|invalid_parameter|at"
        + "|at 'tomorrow' is not a date and time (expected: local time in the policy's time zone"
        + " Europe/London such as 2026-11-23T12:30, or ISO-8601 with an offset such as 2026-11-23T12:30:00Z)",
  })
  void decideRejectsBadInputWithAMessageSayingWhatIsExpected(String query, String code, String field,
      String message) throws Exception {
    Reply reply = get("/api/v1/decide?" + query);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("code").asText()).isEqualTo(code);
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
    assertThat(reply.json().get("message").asText()).isEqualTo(message);
  }

  @Test
  void decideRejectsAMalformedUrlNamingIt() throws Exception {
    Reply reply = get("/api/v1/decide?client=10.10.1.2&url=" + enc("http://exa mple.com/"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("url");
    assertThat(reply.json().get("message").asText())
        .startsWith("url 'http://exa mple.com/' is not a URL: ")
        .endsWith("(expected: an absolute URL such as http://example.com/path or a host name such as example.com)");
  }

  @Test
  void unknownRouteIsAJsonNotFound() throws Exception {
    Reply reply = get("/api/v1/nothing");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("code").asText()).isEqualTo("not_found");
    assertThat(reply.json().get("message").asText())
        .isEqualTo("no route for GET /api/v1/nothing (GET /api/v1/openapi.json lists every route)");
  }

  @Test
  void decideExplainsAPersonByTheirDirectoryGroups() throws Exception {
    java.nio.file.Files.writeString(api.policyFile, originalPolicy + """
        identification:
          directory-groups:
            - { directory-group: "CN=Staff,OU=Groups,DC=school,DC=example", group: staff }
        """);
    assertThat(post("/api/v1/policy/reload").status()).isEqualTo(200);
    String staffGroup = enc("CN=Staff,OU=Groups,DC=school,DC=example");

    Reply staff = get("/api/v1/decide?client=10.10.1.2&user=m.jones&group=" + enc("CN=Library,DC=school")
        + "&group=" + staffGroup + "&url=games.example&at=" + enc("2026-11-23T09:00"));
    Reply pupil = get("/api/v1/decide?client=10.10.1.2&user=p.ahmed&group=" + enc("CN=Year9,DC=school")
        + "&url=games.example&at=" + enc("2026-11-23T09:00"));
    Reply bad = get("/api/v1/decide?client=10.10.1.2&user=x&group=" + enc("CN=Staff,Groups") + "&url=games.example");

    assertThat(staff.status()).isEqualTo(200);
    assertThat(staff.json().get("group").asText()).isEqualTo("staff");
    assertThat(staff.json().get("identifiedBy").asText()).isEqualTo("directory-group");
    assertThat(staff.json().get("directoryGroups")).hasSize(2);
    assertThat(staff.json().get("action").asText()).isEqualTo("allow");
    assertThat(pupil.json().get("group").asText()).isEqualTo("pupils");
    assertThat(pupil.json().get("identifiedBy").asText()).isEqualTo("subnet");
    assertThat(pupil.json().get("action").asText()).isEqualTo("block");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("group");
    assertThat(bad.json().get("message").asText()).isEqualTo("group 'CN=Staff,Groups' is not a directory group:"
        + " 'CN=Staff,Groups' is not a distinguished name: 'Groups' is not type=value (expected: e.g."
        + " CN=Year9,OU=Pupils,DC=school,DC=example) (expected: a DN such as CN=Year9,OU=Pupils,DC=school,DC=example"
        + " or a group name such as Year9)");
  }

  @Test
  void reloadPutsAnEditedPolicyInForce() throws Exception {
    assertThat(decideGambling()).isEqualTo("block");
    replaceInPolicy("gambling: { default: unacceptable }", "gambling: { default: acceptable }");

    Reply reply = post("/api/v1/policy/reload");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("status").asText()).isEqualTo("reloaded");
    assertThat(reply.json().get("policy").get("source").asText()).isEqualTo(api.policyFile.toString());
    assertThat(decideGambling()).isEqualTo("allow");
  }

  @Test
  void reloadOfABrokenPolicyReturns422WithFileAndLineAndKeepsTheOldDecision() throws Exception {
    replaceInPolicy("gambling: { default: unacceptable }", "gambling: { default: sometimes }");

    Reply reply = post("/api/v1/policy/reload");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("code").asText()).isEqualTo("policy_invalid");
    assertThat(reply.json().get("message").asText())
        .isEqualTo("the policy file has 1 error; the previous policy stays in force");
    JsonNode error = reply.json().get("errors").get(0);
    assertThat(error.get("file").asText()).isEqualTo(api.policyFile.toString());
    assertThat(error.get("line").asInt()).isEqualTo(15);
    assertThat(error.get("field").asText()).contains("gambling");
    assertThat(error.get("message").asText()).contains("sometimes");
    assertThat(decideGambling()).isEqualTo("block");
  }

  private String decideGambling() throws Exception {
    return get("/api/v1/decide?client=10.10.1.2&url=bet.example").json().get("action").asText();
  }

  private void replaceInPolicy(String from, String to) throws IOException {
    String text = Files.readString(api.policyFile);
    assertThat(text).contains(from);
    Files.writeString(api.policyFile, text.replace(from, to));
  }

  /** decide is for staff: a teacher asks. */
  private Reply get(String pathAndQuery) {
    return api.as(Role.TEACHER).get(pathAndQuery);
  }

  /** Only a technician reloads the policy. */
  private Reply post(String path) {
    return api.as(Role.TECHNICIAN).post(path, "");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
