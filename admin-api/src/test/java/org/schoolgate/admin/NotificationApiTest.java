package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

/**
 * Notifications through the real server and a real SQLite store: a teacher's unblock request
 * reaches the technicians' lists at once with the console link, the decision reaches the teacher,
 * each person sees and marks only their own, and the email address is their own to set.
 */
class NotificationApiTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void aRequestNotifiesTheTechnicianAndTheDecisionTheTeacherEachInTheirOwnList() {
    Reply asked = api.as(Role.TEACHER).post("/api/v1/unblocks", "{\"target\":{\"type\":\"domain\",\"value\":"
        + "\"www.bet365.com\"},\"reason\":\"Year 9 maths: probability and odds\",\"groups\":[\"ks3-4\"],"
        + "\"durationMinutes\":60}");
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    long unblock = asked.json().get("id").asLong();

    Reply tech = api.as(Role.TECHNICIAN).get("/api/v1/notifications?unread=true");
    assertThat(tech.status()).as(tech.body()).isEqualTo(200);
    assertThat(tech.json().get("unread").asLong()).isEqualTo(1);
    JsonNode n = tech.json().get("notifications").get(0);
    assertThat(n.get("kind").asText()).isEqualTo("unblock-requested");
    assertThat(n.get("link").asText()).isEqualTo("/unblocks/" + unblock);
    assertThat(n.get("read").asBoolean()).isFalse();
    assertThat(n.get("email").asText()).isEqualTo("none");
    assertThat(api.as(Role.TEACHER).get("/api/v1/notifications").json().get("notifications")).isEmpty();

    assertThat(api.as(Role.TEACHER).post("/api/v1/notifications/" + n.get("id").asLong() + "/read", "").status())
        .as("someone else's notification").isEqualTo(404);
    Reply read = api.as(Role.TECHNICIAN).post("/api/v1/notifications/" + n.get("id").asLong() + "/read", "");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().get("read").asBoolean()).isTrue();
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/notifications").json().get("unread").asLong()).isZero();

    Reply approved = api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + unblock + "/approve",
        "{\"note\":\"fine for the lesson\"}");
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    JsonNode teacher = api.as(Role.TEACHER).get("/api/v1/notifications").json();
    assertThat(teacher.get("unread").asLong()).isEqualTo(1);
    assertThat(teacher.get("notifications").get(0).get("kind").asText()).isEqualTo("unblock-approved");
    assertThat(teacher.get("notifications").get(0).get("link").asText()).isEqualTo("/unblocks/" + unblock);
    Reply all = api.as(Role.TEACHER).post("/api/v1/notifications/read-all", "");
    assertThat(all.json().get("marked").asInt()).isEqualTo(1);
  }

  @Test
  void eachPersonSetsTheirOwnEmailAddressAndANonAddressIsRefusedSayingWhy() {
    Reply set = api.as(Role.TEACHER).put("/api/v1/me/email", "{\"email\":\"teacher@school.example\"}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("email").asText()).isEqualTo("teacher@school.example");

    Reply bad = api.as(Role.TEACHER).put("/api/v1/me/email", "{\"email\":\"not an address\"}");
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).contains("not an address");

    Reply cleared = api.as(Role.TEACHER).put("/api/v1/me/email", "{\"email\":null}");
    assertThat(cleared.json().get("email").isNull()).isTrue();
    assertThat(api.anonymous().get("/api/v1/notifications").status()).isEqualTo(401);
    assertThat(api.as(Role.TEACHER).get("/api/v1/notifications?limit=0").status()).isEqualTo(400);
  }
}
