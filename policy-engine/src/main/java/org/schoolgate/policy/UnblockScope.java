package org.schoolgate.policy;

import java.util.List;
import java.util.Set;

/**
 * For whom an unblock applies: a request is in scope when its group is in {@code groups}, or its
 * user is in {@code users}, or its client address is in one of {@code subnets} (a room). At least
 * one must be non-empty.
 *
 * @param groups policy groups
 * @param users user names (as identified by the proxy)
 * @param subnets CIDR texts, e.g. {@code 10.1.4.0/24}
 */
public record UnblockScope(Set<GroupId> groups, Set<String> users, List<String> subnets) {
  public UnblockScope {
    groups = Set.copyOf(groups);
    users = Set.copyOf(users);
    subnets = List.copyOf(subnets);
    if (groups.isEmpty() && users.isEmpty() && subnets.isEmpty()) {
      throw new IllegalArgumentException("an unblock needs at least one group, user or subnet");
    }
  }
}
