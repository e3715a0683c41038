package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.schoolgate.store.AlertTally;
import org.schoolgate.store.AlertTally.Count;

/**
 * Two nodes share the alert rules' counts: each adds its own (added up per counter and bucket),
 * reads only the other's, and the first to claim a counter's window wins it until it ends.
 */
class AlertTallyTest {
  private static final Instant T = TestDatabase.START;

  @DatabaseTest
  void nodesAddTheirCountsReadEachOthersAndOneClaimsAWindow(TestDatabase db) {
    try (JdbcStore a = JdbcStore.open(db.config().withNode("proxy-a"), db.clock(), TestDatabase.FAST_HASHER);
        JdbcStore b = JdbcStore.open(db.config().withNode("proxy-b"), db.clock(), TestDatabase.FAST_HASHER)) {
      a.alertTally().add(List.of(new Count("repeated:bob:gambling", T, "proxy-a", 2)));
      a.alertTally().add(List.of(new Count("repeated:bob:gambling", T, "proxy-a", 1),
          new Count("burst:bob", T.plusSeconds(10), "proxy-a", 1)));
      b.alertTally().add(List.of(new Count("repeated:bob:gambling", T, "proxy-b", 1)));

      assertThat(b.alertTally().others(T)).containsExactlyInAnyOrder(
          new Count("repeated:bob:gambling", T, "proxy-a", 3), new Count("burst:bob", T.plusSeconds(10), "proxy-a", 1));
      assertThat(b.alertTally().others(T.plusSeconds(5))).containsExactly(
          new Count("burst:bob", T.plusSeconds(10), "proxy-a", 1));
      assertThat(a.alertTally().others(T)).containsExactly(new Count("repeated:bob:gambling", T, "proxy-b", 1));

      Instant until = T.plus(Duration.ofMinutes(10));
      assertThat(b.alertTally().claim("repeated:bob:gambling", T.plusSeconds(20), until))
          .isEqualTo(new AlertTally.Won(until));
      assertThat(a.alertTally().claim("repeated:bob:gambling", T.plusSeconds(30), until.plusSeconds(30)))
          .isEqualTo(new AlertTally.Held(until, "proxy-b"));
      // once the window has ended, the next claim wins
      assertThat(a.alertTally().claim("repeated:bob:gambling", until, until.plus(Duration.ofMinutes(10))))
          .isEqualTo(new AlertTally.Won(until.plus(Duration.ofMinutes(10))));

      assertThat(a.alertTally().forget(T.plusSeconds(5))).isEqualTo(1);
      assertThat(b.alertTally().others(T)).containsExactly(new Count("burst:bob", T.plusSeconds(10), "proxy-a", 1));
    }
  }

  /** The alert rules count at the events' millisecond (a window's edge is exact): the store keeps it. */
  @DatabaseTest
  void countsKeepTheirMillisecond(TestDatabase db) {
    try (JdbcStore a = JdbcStore.open(db.config().withNode("proxy-a"), db.clock(), TestDatabase.FAST_HASHER);
        JdbcStore b = JdbcStore.open(db.config().withNode("proxy-b"), db.clock(), TestDatabase.FAST_HASHER)) {
      Instant edge = T.plus(Duration.ofMinutes(10));
      a.alertTally().add(List.of(new Count("repeated|sam|gambling", edge.minusMillis(1), "proxy-a", 1),
          new Count("repeated|sam|gambling", edge, "proxy-a", 1),
          new Count("repeated|sam|gambling", edge.plusMillis(1), "proxy-a", 2)));

      assertThat(b.alertTally().others(edge)).containsExactlyInAnyOrder(
          new Count("repeated|sam|gambling", edge, "proxy-a", 1),
          new Count("repeated|sam|gambling", edge.plusMillis(1), "proxy-a", 2));
      assertThat(b.alertTally().others(edge.plusMillis(1))).containsExactly(
          new Count("repeated|sam|gambling", edge.plusMillis(1), "proxy-a", 2));
      assertThat(a.alertTally().forget(edge)).isEqualTo(1);
      assertThat(b.alertTally().others(T)).hasSize(2);
    }
  }
}
