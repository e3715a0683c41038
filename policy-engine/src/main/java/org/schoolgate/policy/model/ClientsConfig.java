package org.schoolgate.policy.model;

import java.util.List;
import org.schoolgate.policy.GroupId;

/**
 * Which clients the proxy serves.
 *
 * @param allow networks the proxy serves; any other client is refused (no open proxy)
 * @param unknownGroup the group for allowed clients in no group's subnet, or null for the most
 *     restrictive group
 */
public record ClientsConfig(List<Subnet> allow, GroupId unknownGroup) {
  public ClientsConfig {
    allow = List.copyOf(allow);
  }
}
