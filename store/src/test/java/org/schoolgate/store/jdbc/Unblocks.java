package org.schoolgate.store.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Actor;
import org.schoolgate.store.NewUnblock;

/** Test data for unblock requests. */
final class Unblocks {
  static final Actor TEACHER = new Actor(null, "ms.jones", "10.1.4.20");
  static final Actor TECHNICIAN = new Actor(null, "tech.tom", "10.1.0.5");

  private Unblocks() {}

  static NewUnblock domain(String host, Instant from, Duration length) {
    return new NewUnblock(new UnblockTarget.Domain(host),
        new UnblockScope(Set.of(new GroupId("ks2")), Set.of(), List.of("10.1.4.0/24")), from, from.plus(length),
        "lesson on " + host, false, "games");
  }
}
