package org.schoolgate.policy.model;

import java.util.List;
import java.util.Objects;
import org.schoolgate.policy.GroupId;

/**
 * A group of users: who they are (source subnets and/or user names) and, through the matrix,
 * what they may reach.
 *
 * @param id the group name
 * @param subnets client networks of the group (most specific subnet wins across groups)
 * @param users user names (lower case) that belong to the group whatever their address
 * @param description text for people, e.g. "Primary pupils"; may be empty
 */
public record GroupConfig(GroupId id, List<Subnet> subnets, List<String> users, String description) {
  public GroupConfig {
    Objects.requireNonNull(id, "id");
    subnets = List.copyOf(subnets);
    users = List.copyOf(users);
    description = description == null ? "" : description;
  }

  /** The description with the id, e.g. "Primary pupils (ks2)", or just the id. */
  public String displayName() {
    return description.isEmpty() ? id.value() : description + " (" + id.value() + ")";
  }
}
