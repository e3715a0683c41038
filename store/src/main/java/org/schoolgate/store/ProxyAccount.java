package org.schoolgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A local proxy account: someone who signs in to the proxy (not the admin API) at a school
 * without a directory. Never carries the password hash.
 *
 * @param username the lower-case user name
 * @param groups the group names the policy's {@code identification.directory-groups} map to policy
 *     groups (e.g. {@code Year9}, {@code Staff}), in the order given
 * @param createdAt when it was created
 */
public record ProxyAccount(String username, List<String> groups, Instant createdAt) {
  public ProxyAccount {
    Objects.requireNonNull(username, "username");
    groups = List.copyOf(groups);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
