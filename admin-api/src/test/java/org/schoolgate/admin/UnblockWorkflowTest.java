package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.unblock.UnblockWorkflow;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.Role;
import org.slf4j.LoggerFactory;

/**
 * The unblock workflow over HTTP against the shipped sample policy ({@code violence} is flagged
 * sensitive there). The ticker is slowed to 10 minutes here, so anything the
 * engine sees right after a call was published by that call.
 */
class UnblockWorkflowTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();
  private static final String REASON = "Year 9 history: WW1 propaganda posters for coursework";

  @Test
  void aTeacherAsksATechnicianApprovesAndTheEngineAppliesItBeforeTheCallReturns() {
    Reply asked = api.as(Role.TEACHER).post("/api/v1/unblocks",
        body("domain", "WWW.Bet365.COM.", "\"groups\":[\"ks3-4\"],\"durationMinutes\":60"));

    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    JsonNode u = asked.json();
    long id = u.get("id").asLong();
    assertThat(u.get("status").asText()).isEqualTo("pending");
    assertThat(u.get("target").get("type").asText()).isEqualTo("domain");
    assertThat(u.get("target").get("value").asText()).isEqualTo("www.bet365.com");
    assertThat(u.get("sensitive").asBoolean()).isFalse();
    assertThat(u.get("categories").asText()).isEqualTo("gambling");
    assertThat(u.get("requestedBy").asText()).isEqualTo("teacher");
    assertThat(Instant.parse(u.get("until").asText()))
        .isEqualTo(Instant.parse(u.get("from").asText()).plus(Duration.ofMinutes(60)));
    assertThat(unblockIds()).doesNotContain(id);
    assertThat(decideBet365ForKs34().action()).isEqualTo(Action.BLOCK);

    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"fine\"}");

    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().get("status").asText()).isEqualTo("approved");
    assertThat(approved.json().get("decidedBy").asText()).isEqualTo("technician");
    assertThat(unblockIds()).contains(id);
    Decision d = decideBet365ForKs34();
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.rule()).isEqualTo(Rule.UNBLOCK);
    assertThat(d.unblock()).isEqualTo(new UnblockId(id));
  }

  @Test
  void decideExplainsARoomUnblockForAClientInThatRoomOnly() {
    long id = ask(Role.TEACHER, body("domain", "www.pokerstars.com",
        "\"subnets\":[\"10.20.7.0/24\"],\"durationMinutes\":45"));
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"ok\"}").status())
        .isEqualTo(200);

    JsonNode inRoom = api.as(Role.TEACHER)
        .get("/api/v1/decide?client=10.20.7.31&url=http://www.pokerstars.com/").json();
    JsonNode nextDoor = api.as(Role.TEACHER)
        .get("/api/v1/decide?client=10.20.8.31&url=http://www.pokerstars.com/").json();

    assertThat(inRoom.get("action").asText()).as(inRoom.toString()).isEqualTo("allow");
    assertThat(inRoom.get("rule").asText()).isEqualTo("unblock");
    assertThat(inRoom.get("unblock").asLong()).isEqualTo(id);
    assertThat(nextDoor.get("action").asText()).isEqualTo("block");
    assertThat(nextDoor.get("unblock").isNull()).isTrue();
  }

  @Test
  void anUnblockForAClassReachesItsMembersAsTheirDirectoryGroupsSay() {
    long id = ask(Role.TEACHER, body("domain", "www.pokerstars.com",
        "\"directoryGroups\":[\"CN=10X-Maths,OU=Classes,DC=school,DC=example\"],\"durationMinutes\":45"));
    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"ok\"}");
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().get("directoryGroups").get(0).asText())
        .isEqualTo("CN=10X-Maths,OU=Classes,DC=school,DC=example");

    JsonNode member = api.as(Role.TEACHER).get("/api/v1/decide?client=10.20.8.31&user=p.ahmed&group="
        + java.net.URLEncoder.encode("cn=10x-maths, ou=classes, dc=school, dc=example",
            java.nio.charset.StandardCharsets.UTF_8) + "&url=http://www.pokerstars.com/").json();
    JsonNode other = api.as(Role.TEACHER).get("/api/v1/decide?client=10.20.8.31&user=s.khan&group=11Y"
        + "&url=http://www.pokerstars.com/").json();

    assertThat(member.get("action").asText()).as(member.toString()).isEqualTo("allow");
    assertThat(member.get("unblock").asLong()).isEqualTo(id);
    assertThat(other.get("action").asText()).isEqualTo("block");
  }

  @Test
  void decideSaysWhichSafeSearchHostAPupilsSearchGoesTo() {
    JsonNode pupil = api.as(Role.TEACHER).get("/api/v1/decide?client=10.10.4.2&url=https://www.google.co.uk/").json();
    JsonNode staff = api.as(Role.TEACHER).get("/api/v1/decide?client=10.30.4.2&url=https://www.google.co.uk/").json();

    assertThat(pupil.get("safeSearch").asText()).as(pupil.toString()).isEqualTo("forcesafesearch.google.com");
    assertThat(staff.get("safeSearch").isNull()).as(staff.toString()).isTrue();
  }

  @Test
  void nobodyApprovesOrDeniesTheirOwnRequest() {
    long id = ask(Role.TECHNICIAN, body("domain", "roblox.com", "\"groups\":[\"ks2\"],\"durationMinutes\":30"));

    Reply approve = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}");
    Reply deny = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/deny", "{}");

    assertThat(approve.status()).isEqualTo(403);
    assertThat(approve.code()).isEqualTo("own_request");
    assertThat(approve.message()).isEqualTo("you asked for unblock " + id + ", so someone else must approve it (four eyes)");
    assertThat(deny.code()).isEqualTo("own_request");
    assertThat(api.as(Role.DSL).post("/api/v1/unblocks/" + id + "/approve", "{}").status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} request approved by {1} -> {2}")
  @CsvSource({
    "ordinary,  technician,    200",
    "ordinary,  dsl,           200",
    "ordinary,  senior-leader, 200",
    "sensitive, technician,    403",
    "sensitive, dsl,           200",
    "sensitive, senior-leader, 200",
    "bypass,    technician,    403",
    "bypass,    dsl,           403",
    "bypass,    senior-leader, 200",
  })
  void whoMayApproveDependsOnWhatIsAsked(String kind, String approver, int status) {
    String asker = "asker" + ACCOUNTS.incrementAndGet();
    api.createAccount(asker, Set.of(Role.TEACHER, Role.TECHNICIAN));
    String target;
    switch (kind) {
      case "ordinary": target = "\"target\":{\"type\":\"domain\",\"value\":\"fortnite.com\"}"; break;
      case "sensitive": target = "\"target\":{\"type\":\"domain\",\"value\":\"violence.schoolgate.test\"}"; break;
      default: target = "\"target\":{\"type\":\"everything\"}"; break;
    }
    Reply asked = api.withToken(api.login(asker)).post("/api/v1/unblocks",
        "{" + target + ",\"subnets\":[\"10.20.4.0/24\"],\"durationMinutes\":45,\"reason\":\"" + REASON + "\"}");
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    long id = asked.json().get("id").asLong();
    assertThat(asked.json().get("sensitive").asBoolean()).isEqualTo(kind.equals("sensitive"));
    assertThat(asked.json().get("bypass").asBoolean()).isEqualTo(kind.equals("bypass"));

    Reply reply = api.as(Role.parse(approver).orElseThrow()).post("/api/v1/unblocks/" + id + "/approve", "{}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    if (status == 403) {
      assertThat(reply.message()).isEqualTo(kind.equals("bypass")
          ? "unblock " + id + " is a filter bypass: only a senior-leader can approve it"
          : "unblock " + id + " touches a sensitive category (violence): only a dsl or senior-leader can approve it");
      assertThat(unblockIds()).doesNotContain(id);
    } else {
      assertThat(unblockIds()).contains(id);
    }
  }

  @Test
  void aTeacherCannotAskForAFilterBypass() {
    Reply reply = api.as(Role.TEACHER).post("/api/v1/unblocks",
        "{\"target\":{\"type\":\"everything\"},\"groups\":[\"staff\"],\"durationMinutes\":30,\"reason\":\"" + REASON + "\"}");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.message()).isEqualTo(
        "a filter bypass (target everything) can be requested by: technician, dsl, senior-leader");
  }

  @Test
  void aBypassApprovalIsAlsoLoggedAtWarnPointingAtTheDslAlert() {
    Logger logger = (Logger) LoggerFactory.getLogger(UnblockWorkflow.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      long id = ask(Role.TECHNICIAN, "{\"target\":{\"type\":\"everything\"},\"users\":[\"j.smith\"],"
          + "\"durationMinutes\":30,\"reason\":\"" + REASON + "\"}");

      api.as(Role.SENIOR_LEADER).post("/api/v1/unblocks/" + id + "/approve", "{}");

      assertThat(events.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).startsWith("filter bypass " + id + " approved by senior-leader")
            .contains("alert raised for the DSL (GET /api/v1/alerts)");
      });
    } finally {
      logger.detachAppender(events);
    }
  }

  static Stream<Arguments> illegalTargets() {
    String never = ": it can never be unblocked, for anyone, by anyone";
    return Stream.of(
        Arguments.of("category", "child-grooming", "category 'child-grooming' is illegal" + never),
        Arguments.of("domain", "child-grooming.schoolgate.test",
            "'child-grooming.schoolgate.test' is listed in the illegal category 'child-grooming'" + never),
        Arguments.of("domain", "WWW.Child-Sexual-Abuse-Images.schoolgate.test.",
            "'www.child-sexual-abuse-images.schoolgate.test' is listed in the illegal category"
                + " 'child-sexual-abuse-images'" + never),
        Arguments.of("url", "http://extreme-pornography.schoolgate.test/a/../b",
            "'extreme-pornography.schoolgate.test/b' is listed in the illegal category 'extreme-pornography'" + never));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("illegalTargets")
  void anythingInAnIllegalCategoryIsRefusedSayingItCanNeverBeUnblocked(String type, String value, String message) {
    Reply reply = api.as(Role.SENIOR_LEADER).post("/api/v1/unblocks",
        body(type, value, "\"groups\":[\"staff\"],\"durationMinutes\":30"));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.code()).isEqualTo("illegal_category");
    assertThat(reply.message()).isEqualTo(message);
  }

  @Test
  void aSiteMadeIllegalAfterTheRequestCannotBeApproved() throws Exception {
    long id = ask(Role.TEACHER, body("domain", "later-illegal.example", "\"groups\":[\"ks2\"],\"durationMinutes\":30"));
    Files.writeString(api.policyFile.resolveSibling("lists/starter/child-grooming/domains"),
        "\nlater-illegal.example\n", StandardOpenOption.APPEND);
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(200);

    Reply reply = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.message()).isEqualTo("'later-illegal.example' is listed in the illegal category 'child-grooming'"
        + ": it can never be unblocked, for anyone, by anyone");
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/unblocks/" + id).json().get("status").asText()).isEqualTo("pending");
  }

  @Test
  void aSiteListedInASensitiveCategoryAfterTheRequestNeedsADslOrSeniorLeader() throws Exception {
    long id = ask(Role.TEACHER, body("domain", "later-sensitive.example", "\"groups\":[\"ks3-4\"],\"durationMinutes\":30"));
    Files.writeString(api.policyFile.resolveSibling("lists/starter/violence/domains"),
        "\nlater-sensitive.example\n", StandardOpenOption.APPEND);
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(200);

    Reply technician = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}");
    Reply dsl = api.as(Role.DSL).post("/api/v1/unblocks/" + id + "/approve", "{}");

    assertThat(technician.status()).isEqualTo(403);
    assertThat(technician.message()).isEqualTo(
        "unblock " + id + " touches a sensitive category (violence): only a dsl or senior-leader can approve it");
    assertThat(dsl.status()).isEqualTo(200);
  }

  @Test
  void theLongestUnblockIsFourteenDays() {
    Instant from = api.clock.instant().plus(Duration.ofHours(1));
    String fourteen = "\"groups\":[\"ks3-4\"],\"from\":\"" + from + "\",\"until\":\"" + from.plus(Duration.ofDays(14)) + "\"";
    String fifteen = "\"groups\":[\"ks3-4\"],\"from\":\"" + from + "\",\"until\":\"" + from.plus(Duration.ofDays(15)) + "\"";

    assertThat(api.as(Role.TEACHER).post("/api/v1/unblocks", body("domain", "youtube.com", fourteen)).status())
        .isEqualTo(201);
    Reply tooLong = api.as(Role.TEACHER).post("/api/v1/unblocks", body("domain", "youtube.com", fifteen));
    Reply tooManyMinutes = api.as(Role.TEACHER).post("/api/v1/unblocks",
        body("domain", "youtube.com", "\"groups\":[\"ks3-4\"],\"durationMinutes\":21600"));

    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("field").asText()).isEqualTo("until");
    assertThat(tooLong.message()).isEqualTo("the unblock would last 15 days, but the period of study is capped at"
        + " 14 days (maxUnblock); ask for a shorter period");
    assertThat(tooManyMinutes.json().get("field").asText()).isEqualTo("durationMinutes");
    assertThat(tooManyMinutes.message()).startsWith("the unblock would last 15 days, but the period of study is capped");
  }

  static Stream<Arguments> badRequests() {
    String scope = "\"groups\":[\"ks3-4\"],\"durationMinutes\":60,\"reason\":\"" + REASON + "\"";
    String target = "\"target\":{\"type\":\"domain\",\"value\":\"youtube.com\"}";
    return Stream.of(
        Arguments.of("{" + scope + "}", "target",
            "target is required (expected: {\"type\": \"domain|url|category|everything\", \"value\": ...})"),
        Arguments.of("{\"target\":{\"type\":\"site\",\"value\":\"x.com\"}," + scope + "}", "target.type",
            "target type 'site' is not known (expected: domain, url, category or everything)"),
        Arguments.of("{\"target\":{\"type\":\"domain\"}," + scope + "}", "target.value",
            "target.value is required (expected: a host name such as www.bbc.co.uk)"),
        Arguments.of("{\"target\":{\"type\":\"domain\",\"value\":\"exa mple.com\"}," + scope + "}", "target.value",
            "target.value 'exa mple.com' is not a usable site: host 'exa mple.com' contains ' ' (expected: letters, digits, '-' and '.')"),
        Arguments.of("{\"target\":{\"type\":\"category\",\"value\":\"astrology\"}," + scope + "}", "target.value",
            "category 'astrology' is not in the policy (expected: one of child-sexual-abuse-images, child-grooming,"),
        Arguments.of("{" + target + ",\"groups\":[\"year9\"],\"durationMinutes\":60,\"reason\":\"" + REASON + "\"}",
            "groups", "group 'year9' is not in the policy (expected: some of ks2, ks3-4, staff, guests)"),
        Arguments.of("{" + target + ",\"subnets\":[\"10.20.4.0\"],\"durationMinutes\":60,\"reason\":\"" + REASON + "\"}",
            "subnets", "subnet '10.20.4.0' has no prefix length (expected: a CIDR range such as 10.20.4.0/24 or fd00:1::/64)"),
        Arguments.of("{" + target + ",\"subnets\":[\"10.20.4.0/33\"],\"durationMinutes\":60,\"reason\":\"" + REASON + "\"}",
            "subnets", "subnet '10.20.4.0/33' has prefix length '33' (expected: a number from 0 to 32)"),
        Arguments.of("{" + target + ",\"subnets\":[\"lab.school/24\"],\"durationMinutes\":60,\"reason\":\"" + REASON + "\"}",
            "subnets", "subnet 'lab.school/24' does not start with an IP address (expected: a CIDR range such as"),
        Arguments.of("{" + target + ",\"durationMinutes\":60,\"reason\":\"" + REASON + "\"}", "groups",
            "say who the unblock is for: give at least one of groups, users, directoryGroups or subnets"
                + " (e.g. \"groups\": [\"ks3-4\"])"),
        Arguments.of("{" + target + ",\"directoryGroups\":[\"CN=10X,Classes\"],\"durationMinutes\":60,\"reason\":\""
            + REASON + "\"}", "directoryGroups", "directory group 'CN=10X,Classes' is not a distinguished name:"
            + " 'Classes' is not type=value"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"reason\":\"" + REASON + "\"}", "until",
            "until is required (expected: an ISO-8601 instant such as 2026-11-23T09:00:00Z; or durationMinutes, e.g. 60)"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"from\":\"2026-11-24T10:00:00Z\",\"until\":\"2026-11-24T09:00:00Z\",\"reason\":\""
            + REASON + "\"}", "until", "until 2026-11-24T09:00:00Z is not after from 2026-11-24T10:00:00Z"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"until\":\"next week\",\"reason\":\"" + REASON + "\"}", "until",
            "until 'next week' is not a date and time (expected: an ISO-8601 instant such as 2026-11-23T09:00:00Z)"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"durationMinutes\":60}", "reason",
            "reason is required (expected: a sentence saying why the class needs it, at least 15 characters"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"durationMinutes\":60,\"reason\":\"because\"}", "reason",
            "reason 'because' is too short (expected: a sentence saying why"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"durationMinutes\":60,\"reason\":\"aaaaaaaaaaaaaaaaaaaa\"}", "reason",
            "reason 'aaaaaaaaaaaaaaaaaaaa' repeats one word or character"),
        Arguments.of("{" + target + ",\"groups\":[\"ks2\"],\"durationMinutes\":60,\"reason\":\"test test test test\"}", "reason",
            "reason 'test test test test' repeats one word or character"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("badRequests")
  void aBadRequestNamesTheFieldAndSaysWhatToFix(String json, String field, String messageStart) {
    Reply reply = api.as(Role.TEACHER).post("/api/v1/unblocks", json);

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
    assertThat(reply.message()).startsWith(messageStart);
  }

  @Test
  void targetsAndSubnetsAreNormalisedAsTheProxyWouldSeeThem() {
    Reply url = api.as(Role.TEACHER).post("/api/v1/unblocks", body("url",
        "HTTP://WWW.YouTube.COM:80/watch/../embed/x?y=1", "\"subnets\":[\"10.20.4.77/24\"],\"durationMinutes\":60"));
    Reply idn = api.as(Role.TEACHER).post("/api/v1/unblocks", body("domain", "BÜCHER.example",
        "\"groups\":[\"ks2\"],\"durationMinutes\":60"));

    assertThat(url.status()).as(url.body()).isEqualTo(201);
    assertThat(url.json().get("target").get("text").asText()).isEqualTo("url:www.youtube.com/embed/x");
    assertThat(url.json().get("subnets").get(0).asText()).isEqualTo("10.20.4.0/24");
    assertThat(url.json().get("categories").asText()).isEqualTo("video-broadcasting");
    assertThat(idn.json().get("target").get("value").asText()).isEqualTo("xn--bcher-kva.example");
  }

  @Test
  void teachersSeeTheirOwnRequestsAndApproversSeeAll() {
    String other = "other.teacher" + ACCOUNTS.incrementAndGet();
    api.createAccount(other, Set.of(Role.TEACHER));
    String otherToken = api.login(other);
    long mine = ask(Role.TEACHER, body("domain", "sumdog.com", "\"groups\":[\"ks2\"],\"durationMinutes\":60"));
    Reply theirs = api.withToken(otherToken).post("/api/v1/unblocks",
        body("domain", "prodigygame.com", "\"groups\":[\"ks2\"],\"durationMinutes\":60"));
    long theirId = theirs.json().get("id").asLong();

    List<Long> seenByOther = ids(api.withToken(otherToken).get("/api/v1/unblocks"));
    List<Long> seenByTechnician = ids(api.as(Role.TECHNICIAN).get("/api/v1/unblocks?status=pending"));
    Reply peek = api.withToken(otherToken).get("/api/v1/unblocks/" + mine);

    assertThat(seenByOther).containsExactly(theirId);
    assertThat(seenByTechnician).contains(mine, theirId);
    assertThat(peek.status()).isEqualTo(403);
    assertThat(peek.code()).isEqualTo("not_yours");
    assertThat(api.as(Role.TEACHER).get("/api/v1/unblocks?status=waiting").message())
        .isEqualTo("status 'waiting' is not known (expected: one of pending, approved, denied, revoked, expired, cancelled)");
  }

  @Test
  void onlyTheRequesterCancelsAndACancelledRequestCannotBeApproved() {
    long id = ask(Role.TEACHER, body("domain", "wetransfer.com", "\"groups\":[\"staff\"],\"durationMinutes\":60"));

    Reply byOther = api.as(Role.DSL).post("/api/v1/unblocks/" + id + "/cancel", "{}");
    Reply byRequester = api.as(Role.TEACHER).post("/api/v1/unblocks/" + id + "/cancel", "{\"note\":\"not needed\"}");
    Reply approveAfter = api.as(Role.DSL).post("/api/v1/unblocks/" + id + "/approve", "{}");

    assertThat(byOther.status()).isEqualTo(403);
    assertThat(byOther.code()).isEqualTo("not_requester");
    assertThat(byRequester.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(approveAfter.status()).isEqualTo(409);
    assertThat(approveAfter.code()).isEqualTo("conflict");
  }

  @Test
  void aDeniedRequestKeepsTheNoteAndIsNeverApplied() {
    long id = ask(Role.TEACHER, body("domain", "mega.nz", "\"groups\":[\"ks2\"],\"durationMinutes\":60"));

    Reply denied = api.as(Role.DSL).post("/api/v1/unblocks/" + id + "/deny", "{\"note\":\"use the school drive\"}");

    assertThat(denied.json().get("status").asText()).isEqualTo("denied");
    assertThat(denied.json().get("decisionNote").asText()).isEqualTo("use the school drive");
    assertThat(unblockIds()).doesNotContain(id);
  }

  @Test
  void revokingEndsTheUnblockInTheEngineAtOnce() {
    long id = ask(Role.TEACHER, body("category", "social-media", "\"groups\":[\"staff\"],\"durationMinutes\":60"));
    api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}");
    assertThat(unblockIds()).contains(id);

    Reply revoked = api.as(Role.SENIOR_LEADER).post("/api/v1/unblocks/" + id + "/revoke", "{\"note\":\"misused\"}");

    assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
    assertThat(revoked.json().get("endedBy").asText()).isEqualTo("senior-leader");
    assertThat(unblockIds()).doesNotContain(id);
  }

  @Test
  void anUnknownRequestIsNotFound() {
    Reply reply = api.as(Role.DSL).post("/api/v1/unblocks/987654/approve", "{}");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.message()).isEqualTo("there is no unblock request 987654 (GET /api/v1/unblocks lists them)");
  }

  private Decision decideBet365ForKs34() {
    return api.holder.current().decide(new RequestFacts(new GroupId("ks3-4"), null, "www.bet365.com", "/",
        api.clock.instant()));
  }

  static List<Long> unblockIds() {
    return api.holder.unblocks().unblocks().stream().map(Unblock::id).map(UnblockId::value).toList();
  }

  static long ask(Role role, String json) {
    return askWith(api, role, json);
  }

  static long askWith(AdminApi server, Role role, String json) {
    Reply reply = server.as(role).post("/api/v1/unblocks", json);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().get("id").asLong();
  }

  static String body(String type, String value, String rest) {
    return "{\"target\":{\"type\":\"" + type + "\",\"value\":\"" + value + "\"}," + rest
        + ",\"reason\":\"" + REASON + "\"}";
  }

  private static List<Long> ids(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return java.util.stream.StreamSupport.stream(reply.json().get("unblocks").spliterator(), false)
        .map(n -> n.get("id").asLong()).toList();
  }
}
