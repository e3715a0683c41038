package org.schoolgate.policy;

import java.util.List;
import java.util.Set;

/**
 * For whom an unblock applies: a request is in scope when its group is in {@code groups}, or its
 * user is in {@code users}, or the person is in one of {@code directoryGroups} (e.g. a class:
 * {@code CN=10X-Maths,OU=Classes,DC=school,DC=example}), or its client address is in one of
 * {@code subnets} (a room). At least one must be non-empty.
 *
 * @param groups policy groups
 * @param users user names (as identified by the proxy)
 * @param subnets CIDR texts, e.g. {@code 10.1.4.0/24}
 * @param directoryGroups directory groups as written (DN or plain name; compared normalised, see
 *     {@link DirectoryGroupName})
 */
public record UnblockScope(Set<GroupId> groups, Set<String> users, List<String> subnets,
    Set<String> directoryGroups) {
  public UnblockScope {
    groups = Set.copyOf(groups);
    users = Set.copyOf(users);
    subnets = List.copyOf(subnets);
    directoryGroups = Set.copyOf(directoryGroups);
    if (groups.isEmpty() && users.isEmpty() && subnets.isEmpty() && directoryGroups.isEmpty()) {
      throw new IllegalArgumentException("an unblock needs at least one group, user, directory group or subnet");
    }
    for (String g : directoryGroups) {
      String problem = DirectoryGroupName.problem(g);
      if (problem != null) {
        throw new IllegalArgumentException("directory group " + problem);
      }
    }
  }

  /** A scope without directory groups. */
  public UnblockScope(Set<GroupId> groups, Set<String> users, List<String> subnets) {
    this(groups, users, subnets, Set.of());
  }
}
