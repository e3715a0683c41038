package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

/**
 * Issue 11: a slow approval must not eat the lesson. "For 60 minutes" runs 60 minutes from the
 * approval; an explicit from/until stays as asked. Time is the test's own clock.
 */
class UnblockFromApprovalTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void aRequestForSixtyMinutesRunsSixtyMinutesFromItsApproval() {
    // requested 10:25:24 for 60 minutes, approved 10:25:38: in force until 11:25:38
    api.clock.set(Instant.parse("2026-11-23T10:25:24Z"));
    Reply asked = api.as(Role.TEACHER).post("/api/v1/unblocks", "{\"target\":{\"type\":\"domain\",\"value\":"
        + "\"www.bet365.com\"},\"groups\":[\"ks3-4\"],\"durationMinutes\":60,\"reason\":\"Year 12 maths: odds and"
        + " probability lesson\"}");
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    assertThat(asked.json().get("fromApproval").asBoolean()).isTrue();
    long id = asked.json().get("id").asLong();

    api.clock.set(Instant.parse("2026-11-23T10:25:38Z"));
    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"ok\"}");

    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    JsonNode u = approved.json();
    assertThat(u.get("from").asText()).isEqualTo("2026-11-23T10:25:38Z");
    assertThat(u.get("until").asText()).isEqualTo("2026-11-23T11:25:38Z");
    assertThat(api.holder.unblocks().size()).isEqualTo(1);

    api.clock.set(Instant.parse("2026-11-23T11:25:30Z"));
    api.server.unblocks().tick();
    assertThat(api.as(Role.TEACHER).get("/api/v1/unblocks/" + id).json().get("status").asText())
        .as("still in force after 11:25:24, when it would have ended counted from the request")
        .isEqualTo("approved");
    api.clock.set(Instant.parse("2026-11-23T11:25:38Z"));
    api.server.unblocks().tick();
    assertThat(api.as(Role.TEACHER).get("/api/v1/unblocks/" + id).json().get("status").asText())
        .isEqualTo("expired");
  }

  @Test
  void anExplicitPeriodStaysAsAsked() {
    api.clock.set(Instant.parse("2026-11-23T11:00:00Z"));
    Reply asked = api.as(Role.TEACHER).post("/api/v1/unblocks", "{\"target\":{\"type\":\"domain\",\"value\":"
        + "\"www.bet365.com\"},\"groups\":[\"ks3-4\"],\"from\":\"2026-11-23T12:00:00Z\","
        + "\"until\":\"2026-11-23T13:00:00Z\",\"reason\":\"Year 12 maths: odds and probability lesson\"}");
    assertThat(asked.json().get("fromApproval").asBoolean()).isFalse();
    long id = asked.json().get("id").asLong();

    api.clock.advance(Duration.ofMinutes(20));
    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"ok\"}");

    assertThat(approved.json().get("from").asText()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(approved.json().get("until").asText()).isEqualTo("2026-11-23T13:00:00Z");
  }

  @Test
  void aStartGivenWithDurationMinutesIsAnExplicitPeriodToo() {
    api.clock.set(Instant.parse("2026-11-23T11:00:00Z"));
    Reply asked = api.as(Role.TEACHER).post("/api/v1/unblocks", "{\"target\":{\"type\":\"domain\",\"value\":"
        + "\"www.bet365.com\"},\"groups\":[\"ks3-4\"],\"from\":\"2026-11-23T12:00:00Z\",\"durationMinutes\":30,"
        + "\"reason\":\"Year 12 maths: odds and probability lesson\"}");
    long id = asked.json().get("id").asLong();

    api.clock.advance(Duration.ofMinutes(5));
    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{\"note\":\"ok\"}");

    assertThat(approved.json().get("from").asText()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(approved.json().get("until").asText()).isEqualTo("2026-11-23T12:30:00Z");
  }
}
