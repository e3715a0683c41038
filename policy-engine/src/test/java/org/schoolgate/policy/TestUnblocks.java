package org.schoolgate.policy;

import java.util.List;
import java.util.Set;

/** Builds unblocks for tests: times are London wall-clock times on Monday 23 November 2026. */
public final class TestUnblocks {
  public static final String DAY = "2026-11-23T";

  private TestUnblocks() {}

  public static UnblockTarget category(String name) {
    return new UnblockTarget.Category(new CategoryId(name));
  }

  public static Unblock forGroup(long id, UnblockTarget target, String group, String from, String until) {
    return unblock(id, target, new UnblockScope(Set.of(new GroupId(group)), Set.of(), List.of()), from, until);
  }

  public static Unblock forUser(long id, UnblockTarget target, String user, String from, String until) {
    return unblock(id, target, new UnblockScope(Set.of(), Set.of(user), List.of()), from, until);
  }

  public static Unblock forSubnet(long id, UnblockTarget target, String cidr, String from, String until) {
    return unblock(id, target, new UnblockScope(Set.of(), Set.of(), List.of(cidr)), from, until);
  }

  public static Unblock unblock(long id, UnblockTarget target, UnblockScope scope, String from, String until) {
    return new Unblock(new UnblockId(id), target, scope, TestPolicies.london(DAY + from),
        TestPolicies.london(DAY + until), "mrs.jones", "mr.khan", "Year 10 statistics project on odds");
  }
}
